/**
 * volume — named and anonymous volumes of the `local` driver (Docker's
 * `/volumes` API): rows in `state`, files under `<data-root>/volumes/<name>/_data`,
 * `type`/`o`/`device` options mounted on first use and unmounted when the
 * last container stops, the users of each volume for exact in-use checks,
 * and the copy-up that fills a new volume from an image. It knows nothing of
 * containers beyond their IDs: the container module decides which volumes a
 * container gets and calls in here.
 */
export { createVolumeService } from './service.js';
export type {
  CreatedVolume,
  PruneOptions,
  PruneReport,
  VolumeCreateRequest,
  VolumeMountRequest,
  VolumeService,
  VolumeServiceOptions,
} from './service.js';
export { VOLUME_LIST_FILTERS, VOLUME_PRUNE_FILTERS } from './filters.js';
export type { VolumeFilters } from './filters.js';
export { validateVolumeName } from './names.js';
export { copyUp } from './copy-up.js';
