import type { Readable } from 'node:stream';
import type { Digest, OperationOptions } from '../../kernel/index.js';
import type { ImageDeps } from './deps.js';
import type { ImageFilters } from './filters.js';
import { collectGarbage } from './gc.js';
import { importImage, type ImportOptions } from './import.js';
import { loadImages } from './load.js';
import { imageHistory, inspectImage, listImageSummaries, type ImageSummaryView } from './query.js';
import { pruneImages, removeImage, type DeleteItem, type RemoveOptions } from './remove.js';
import { tagImage } from './register.js';
import { saveImages } from './save.js';

/**
 * The image operations the API and every other face call (STYLE.md §1.9).
 * Each method is a thin binding of one operation to the shared deps.
 */
export interface ImageService {
  list(options?: { all?: boolean; filters?: ImageFilters; sharedSize?: boolean }): Promise<ImageSummaryView[]>;
  inspect(name: string): Promise<Record<string, unknown>>;
  history(name: string): Promise<Record<string, unknown>[]>;
  tag(name: string, target: string): void;
  remove(name: string, options?: RemoveOptions): Promise<DeleteItem[]>;
  prune(options?: {
    all?: boolean;
    filters?: ImageFilters;
  }): Promise<{ ImagesDeleted: DeleteItem[]; SpaceReclaimed: number }>;
  load(body: Readable, options?: OperationOptions): Promise<string[]>;
  import(body: Readable, options?: ImportOptions): Promise<Digest>;
  /** Resolves names first (errors before any byte), then returns the tar stream. */
  save(names: readonly string[]): Promise<() => Readable>;
  count(): number;
  layersSize(): number;
  collectGarbage(): Promise<{ blobs: number; snapshots: number }>;
}

export function createImageService(deps: ImageDeps): ImageService {
  return {
    list: (options) => listImageSummaries(deps, options),
    inspect: (name) => inspectImage(deps, name),
    history: (name) => imageHistory(deps, name),
    tag: (name, target) => void tagImage(deps, deps.store.resolve(name).id, target),
    remove: (name, options) => removeImage(deps, name, options),
    prune: (options) => pruneImages(deps, options),
    load: (body, options) => loadImages(deps, body, options),
    import: (body, options) => importImage(deps, body, options),
    save: (names) => saveImages(deps, names),
    count: () => deps.store.count(),
    layersSize: () => deps.store.layersSize(),
    collectGarbage: () => collectGarbage(deps),
  };
}
