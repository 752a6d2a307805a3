import { join } from 'node:path';
import { listChanges, writeLayerTar } from '../archive/index.js';
import type { ContainerService } from '../container/index.js';
import type { Digest } from '../kernel/index.js';
import { applyConfigChanges, type ContainerDefaults, type ImageConfig } from '../image/index.js';
import type { ImageDeps } from './images/deps.js';
import { lowerDirsOf } from './images/image-store.js';
import { appendLayerImage } from './images/append-layer.js';
import { tagImage } from './images/register.js';

/** `GET /containers/{id}/changes` item. */
export interface ChangeView {
  Path: string;
  Kind: number;
}

/** What a container changed in its writable layer (`docker diff`), with sizes for `berth diff --size`. */
export async function containerChanges(
  deps: ImageDeps,
  containers: ContainerService,
  ref: string,
): Promise<(ChangeView & { Size: number })[]> {
  const c = containers.get(ref);
  const lower = [await containers.initLayer(), ...lowerDirsOf(deps, c.spec.imageId)];
  const changes = await listChanges(join(containers.dirOf(c), 'upper'), lower);
  return changes.map((ch) => ({ Path: ch.path, Kind: ch.kind, Size: ch.size }));
}

export interface CommitOptions {
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  changes?: readonly string[];
  /** Container defaults the request overrides (`POST /commit` body). */
  config?: ContainerDefaults;
}

/**
 * `docker commit`: the container's writable layer becomes one new layer on
 * top of its image's; the new config is the container's, with `changes`
 * applied, and a history entry saying what ran. The image it came from is
 * untouched (a new value, STYLE.md §1.5).
 */
export async function commitContainer(
  deps: ImageDeps,
  containers: ContainerService,
  ref: string,
  options: CommitOptions = {},
): Promise<Digest> {
  const c = containers.get(ref);
  const parent = await deps.store.load(deps.store.resolve(c.spec.imageId));
  const defaults = applyConfigChanges(
    { ...(c.spec.config as ContainerDefaults), ...options.config },
    options.changes ?? [],
  );
  const created = new Date().toISOString();
  const cmd = [...(c.spec.config.Entrypoint ?? []), ...(c.spec.config.Cmd ?? [])].join(' ');
  const id = await appendLayerImage(deps, {
    parent,
    layer: writeLayerTar(join(containers.dirOf(c), 'upper')),
    makeConfig: (diffIds): ImageConfig => ({
      ...parent.config,
      created,
      container: c.id,
      config: defaults,
      ...(options.author ? { author: options.author } : {}),
      ...(options.comment ? { comment: options.comment } : {}),
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [
        ...(parent.config.history ?? []),
        {
          created,
          created_by: cmd,
          ...(options.author ? { author: options.author } : {}),
          ...(options.comment ? { comment: options.comment } : {}),
        },
      ],
    }),
  });
  deps.events.emit('container', 'commit', c.id, { name: c.name, imageID: id });
  if (options.repo) tagImage(deps, id, options.tag ? `${options.repo}:${options.tag}` : options.repo);
  return id;
}
