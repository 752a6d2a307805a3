import { conflict, type Digest } from '../../kernel/index.js';
import {
  familiarString,
  fullName,
  parseImageId,
  parseReference,
  referenceString,
  withDefaultTag,
} from '../../reference/index.js';
import {
  childImages,
  deleteImage,
  deleteName,
  getImage,
  listImages,
  repoDigestsOf,
  tagsOf,
  type ImageRow,
} from '../../state/index.js';
import type { ImageDeps } from './deps.js';
import { matchesFilters, type ImageFilters } from './filters.js';
import { collectGarbage } from './gc.js';
import { loadAll } from './query.js';

/** One line of `DELETE /images/{name}`'s answer. */
export type DeleteItem = { Untagged: string } | { Deleted: string };

export interface RemoveOptions {
  force?: boolean;
  /** Keep untagged parent images. */
  noprune?: boolean;
}

/**
 * `docker rmi`: by tag, removes that tag and deletes the image when it was
 * its last name; by ID, deletes the image, and needs `force` when several
 * repositories name it. Untagged parents go too unless `noprune`.
 */
export async function removeImage(deps: ImageDeps, name: string, options: RemoveOptions = {}): Promise<DeleteItem[]> {
  const row = deps.store.resolve(name);
  const items: DeleteItem[] = [];
  const byName = !parseImageId(name) && !row.id.slice(7).startsWith(name.replace(/^sha256:/, ''));
  const tags = [...tagsOf(deps.db, row.id), ...repoDigestsOf(deps.db, row.id)];
  if (byName) {
    const ref = parseReference(name);
    const full = ref.digest
      ? referenceString({ domain: ref.domain, path: ref.path, digest: ref.digest })
      : referenceString(withDefaultTag(ref));
    if (tags.includes(full)) {
      const user = deps.containersUsing(row.id)[0];
      if (tags.length === 1 && user && !options.force) {
        throw conflict(
          `conflict: unable to remove repository reference "${name}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${row.id.slice(7, 19)}`,
        );
      }
      deleteName(deps.db, full);
      items.push({ Untagged: familiarString(parseReference(full)) });
      deps.events.emit('image', 'untag', row.id, { name: familiarString(parseReference(full)) });
      if (tags.length > 1) return items;
    }
  } else if (repositoryCount(tags) > 1 && !options.force) {
    throw conflict(
      `conflict: unable to delete ${row.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    );
  }
  const users = deps.containersUsing(row.id);
  const running = byName ? undefined : users.find((u) => u.running);
  const short = row.id.slice(7, 19);
  if (running) {
    throw conflict(
      `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.id.slice(0, 12)}`,
    );
  }
  if (users[0] && !options.force) {
    throw conflict(
      `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${users[0].id.slice(0, 12)}`,
    );
  }
  items.push(...untagAll(deps, row));
  // Forced with stopped containers on it: Docker untags and keeps the image for them.
  if (users.length === 0) items.push(...(await deleteWithParents(deps, row, options)));
  return items;
}

function repositoryCount(names: string[]): number {
  return new Set(names.map((n) => fullName(parseReference(n)))).size;
}

function untagAll(deps: ImageDeps, row: ImageRow): DeleteItem[] {
  const items: DeleteItem[] = [];
  for (const name of [...tagsOf(deps.db, row.id), ...repoDigestsOf(deps.db, row.id)]) {
    deleteName(deps.db, name);
    const familiar = familiarString(parseReference(name));
    items.push({ Untagged: familiar });
    deps.events.emit('image', 'untag', row.id, { name: familiar });
  }
  return items;
}

async function deleteWithParents(deps: ImageDeps, row: ImageRow, options: RemoveOptions): Promise<DeleteItem[]> {
  if (childImages(deps.db, row.id).length > 0) {
    throw conflict(
      `conflict: unable to delete ${row.id.slice(7, 19)} (cannot be forced) - image has dependent child images`,
    );
  }
  const items: DeleteItem[] = [];
  for (let cur: ImageRow | undefined = row; cur;) {
    deleteImage(deps.db, cur.id);
    items.push({ Deleted: cur.id });
    deps.events.emit('image', 'delete', cur.id);
    const parent: Digest | null = cur.parent;
    cur = undefined;
    if (!options.noprune && parent) {
      const p = getImage(deps.db, parent);
      if (p && tagsOf(deps.db, p.id).length === 0 && childImages(deps.db, p.id).length === 0) cur = p;
    }
  }
  await collectGarbage(deps);
  return items;
}

/**
 * `docker image prune`: dangling images (untagged, no children), or with
 * `all` every image. Reports what went and the bytes reclaimed.
 */
export async function pruneImages(
  deps: ImageDeps,
  options: { all?: boolean; filters?: ImageFilters } = {},
): Promise<{ ImagesDeleted: DeleteItem[]; SpaceReclaimed: number }> {
  const images = await loadAll(deps);
  const resolve = (s: string) => deps.store.resolve(s);
  const before = layerBytes(deps);
  const deleted: DeleteItem[] = [];
  // Children first, so that their parents become prunable in the same pass.
  const candidates = images
    .filter(
      (img) =>
        (options.all || img.repoTags.length === 0) && matchesFilters(img, options.filters ?? {}, resolve, images),
    )
    .sort((a, b) => b.row.added - a.row.added);
  for (const img of candidates) {
    if (!getImage(deps.db, img.row.id) || childImages(deps.db, img.row.id).length > 0) continue;
    if (deps.containersUsing(img.row.id).length > 0) continue;
    deleted.push(...untagAll(deps, img.row));
    deleteImage(deps.db, img.row.id);
    deleted.push({ Deleted: img.row.id });
    deps.events.emit('image', 'delete', img.row.id);
  }
  await collectGarbage(deps);
  return { ImagesDeleted: deleted, SpaceReclaimed: before - layerBytes(deps) };
}

function layerBytes(deps: ImageDeps): number {
  const seen = new Set<string>();
  let sum = 0;
  for (const image of listImages(deps.db)) {
    for (const chainId of deps.store.layersOf(image.id)) {
      if (seen.has(chainId)) continue;
      seen.add(chainId);
      sum += deps.snapshotter.get(chainId)?.size ?? 0;
    }
  }
  return sum;
}
