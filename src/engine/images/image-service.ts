import type { Readable } from 'node:stream';
import type { Digest, OperationOptions } from '../../kernel/index.js';
import type { Credentials } from '../../registry/index.js';
import type { DistributionDeps } from './distribution.js';
import { inspectDistribution, type DistributionInspectView } from './distribution-inspect.js';
import type { ImageFilters } from './filters.js';
import { collectGarbage } from './gc.js';
import { importImage, type ImportOptions } from './import.js';
import { loadImages } from './load.js';
import { pullImage, type PullOptions } from './pull.js';
import { pushImage, type PushOptions, type PushResult } from './push.js';
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
  /** `docker pull`: returns the image ID. */
  pull(name: string, options?: PullOptions): Promise<Digest>;
  /** `docker push`: the tag asked for, or every tag of the repository. */
  push(name: string, options?: PushOptions): Promise<PushResult[]>;
  /** `GET /distribution/{name}/json`: the registry's descriptor and platforms for a name. */
  inspectDistribution(
    name: string,
    options?: OperationOptions & { credentials?: Credentials },
  ): Promise<DistributionInspectView>;
  /** `docker login`: checks credentials with the registry; an identity token when it issues one. */
  login(
    serverAddress: string,
    credentials: Credentials,
    options?: OperationOptions,
  ): Promise<{ identityToken?: string }>;
}

export function createImageService(deps: DistributionDeps): ImageService {
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
    pull: (name, options) => pullImage(deps, name, options),
    push: (name, options) => pushImage(deps, name, options),
    inspectDistribution: (name, options) => inspectDistribution(deps, name, options),
    login: (serverAddress, credentials, options) => deps.registry.login(serverAddress, credentials, options),
  };
}
