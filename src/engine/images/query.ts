import type { ChainID, Digest } from '../../kernel/index.js';
import type { Api } from '../../spec/index.js';
import { childImages, listImages, tagsOf, type ImageRow } from '../../state/index.js';
import type { ImageDeps } from './deps.js';
import type { StoredImage } from './image-store.js';
import type { ImageFilters } from './filters.js';
import { matchesFilters } from './filters.js';

/** `GET /images/json` item; `VirtualSize` is still read by clients of API < 1.44. */
export type ImageSummaryView = Api.ImageSummary & { VirtualSize?: number };

function createdSeconds(image: StoredImage): number {
  const t = image.config.created ? Date.parse(image.config.created) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

function summarize(image: StoredImage, sharedSize = -1): ImageSummaryView {
  return {
    Id: image.row.id,
    ParentId: image.row.parent ?? '',
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Created: createdSeconds(image),
    Size: image.row.size,
    SharedSize: sharedSize,
    VirtualSize: image.row.size,
    Labels: image.config.config?.Labels ?? {},
    Containers: -1,
  };
}

/** Whether an image is "intermediate": untagged, with child images (hidden unless `all`). */
function isIntermediate(deps: ImageDeps, row: ImageRow): boolean {
  return tagsOf(deps.db, row.id).length === 0 && childImages(deps.db, row.id).length > 0;
}

export async function loadAll(deps: ImageDeps): Promise<StoredImage[]> {
  return Promise.all(listImages(deps.db).map((row) => deps.store.load(row)));
}

export async function listImageSummaries(
  deps: ImageDeps,
  options: { all?: boolean; filters?: ImageFilters; sharedSize?: boolean } = {},
): Promise<ImageSummaryView[]> {
  const images = await loadAll(deps);
  const byRef = (s: string) => deps.store.resolve(s);
  const selected = images.filter(
    (img) =>
      (options.all || !isIntermediate(deps, img.row)) && matchesFilters(img, options.filters ?? {}, byRef, images),
  );
  const layerUse = options.sharedSize ? countLayerUse(images) : undefined;
  return selected.map((img) => summarize(img, layerUse ? sharedSize(deps, img, layerUse) : -1));
}

function countLayerUse(images: StoredImage[]): Map<ChainID, number> {
  const use = new Map<ChainID, number>();
  for (const img of images) for (const l of img.layers) use.set(l, (use.get(l) ?? 0) + 1);
  return use;
}

function sharedSize(deps: ImageDeps, image: StoredImage, use: Map<ChainID, number>): number {
  return image.layers
    .filter((l) => (use.get(l) ?? 0) > 1)
    .reduce((sum, l) => sum + (deps.snapshotter.get(l)?.size ?? 0), 0);
}

/** `GET /images/{name}/json` (Engine API ImageInspect). */
export async function inspectImage(deps: ImageDeps, name: string): Promise<Record<string, unknown>> {
  const image = await deps.store.load(deps.store.resolve(name));
  const { config } = image;
  const dirs = image.layers.length ? deps.snapshotter.lowerDirs(image.layers[image.layers.length - 1]!) : [];
  return {
    Id: image.row.id,
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Parent: image.row.parent ?? '',
    Comment: config.comment ?? config.history?.at(-1)?.comment ?? '',
    Created: config.created ?? '',
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: config.config ?? {},
    Architecture: config.architecture,
    ...(config.variant ? { Variant: config.variant } : {}),
    Os: config.os,
    ...(config['os.version'] ? { OsVersion: config['os.version'] } : {}),
    Size: image.row.size,
    VirtualSize: image.row.size,
    GraphDriver: {
      Name: 'overlay2',
      Data: dirs.length ? graphDriverData(dirs) : {},
    },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: {
      LastTagTime: image.row.lastTagTime ? new Date(image.row.lastTagTime).toISOString() : '0001-01-01T00:00:00Z',
    },
    Descriptor: { mediaType: image.row.mediaType, digest: image.row.manifestDigest, size: 0 },
  };
}

/** As dockerd's overlay2 reports an image: the top layer as "upper", the rest as lower. */
function graphDriverData(dirs: string[]): Record<string, string> {
  const [top, ...lower] = dirs;
  return { ...(lower.length ? { LowerDir: lower.join(':') } : {}), UpperDir: top!, MergedDir: '', WorkDir: '' };
}

/** `GET /images/{name}/history`, newest first, as Docker reports it. */
export async function imageHistory(deps: ImageDeps, name: string): Promise<Record<string, unknown>[]> {
  const image = await deps.store.load(deps.store.resolve(name));
  const history = image.config.history ?? [];
  const idAt = await ancestorIds(deps, image);
  let layer = image.layers.length;
  const out: Record<string, unknown>[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    let size = 0;
    if (!h.empty_layer) {
      layer--;
      const chainId = image.layers[layer];
      size = chainId ? (deps.snapshotter.get(chainId)?.size ?? 0) : 0;
    }
    const id = idAt.get(i);
    out.push({
      Id: id ?? '<missing>',
      Created: h.created ? Math.floor(Date.parse(h.created) / 1000) : 0,
      CreatedBy: h.created_by ?? '',
      Tags: id ? (await deps.store.load(deps.store.resolve(id))).repoTags : null,
      Size: size,
      Comment: h.comment ?? '',
    });
  }
  return out;
}

/** Maps a history index to the local image whose newest entry it is (the image itself, its parents). */
async function ancestorIds(deps: ImageDeps, image: StoredImage): Promise<Map<number, Digest>> {
  const ids = new Map<number, Digest>();
  for (let cur: StoredImage | undefined = image; cur;) {
    ids.set((cur.config.history?.length ?? 1) - 1, cur.row.id);
    const parent: Digest | null = cur.row.parent;
    cur = parent ? await deps.store.load(deps.store.resolve(parent)).catch(() => undefined) : undefined;
  }
  return ids;
}
