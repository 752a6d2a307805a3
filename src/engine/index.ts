/**
 * engine — the composition root: builds every service from config, runs the
 * startup reconcile and GC, and exposes the services the API and other faces
 * call. Also home of the image operations that span the content store,
 * snapshots and state (load, save, import, remove), since only this layer
 * may combine them.
 */
export { createEngine } from './engine.js';
export type { Engine } from './engine.js';
export { DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT } from './config.js';
export type { EngineConfig } from './config.js';
export type { CommitOptions } from './commit.js';
export { BERTH_VERSION } from './system-info.js';
export { IMAGE_LIST_FILTERS } from './images/filters.js';
export type { ImageFilters } from './images/filters.js';
export type { ImageService } from './images/image-service.js';
export { NETWORK_LIST_FILTERS } from '../network/index.js';
export { CONTAINER_LIST_FILTERS } from '../container/index.js';
export { VOLUME_LIST_FILTERS, VOLUME_PRUNE_FILTERS } from '../volume/index.js';
