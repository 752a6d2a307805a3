/**
 * container — containers as records with a lifecycle: create (a row and a
 * directory), start (writable layer, bundle, conmon + runc), exit tracking,
 * stop/kill/remove, wait, output from the log, and the startup reconcile
 * that re-attaches to containers that outlived a daemon restart. Images come
 * in through the `ImageResolver` the engine provides.
 */
export { ContainerService } from './service.js';
export type { CreateRequest, ContainerServiceOptions, OutputOptions } from './service.js';
export type { ImageResolver, RunnableImage, Container } from './types.js';
export { CONTAINER_LIST_FILTERS } from './filters.js';
export type { ContainerFilters } from './filters.js';
export type { WaitCondition } from './waiters.js';
export { ExecService } from './exec-service.js';
export type { ExecServiceOptions } from './exec-service.js';
export type { ExecIO } from './exec-session.js';
export type { ExecInspectView } from './exec-view.js';
export type { TopView } from './top.js';
export type { StatsOptions } from './stats.js';
export type { UpdateRequest } from './stats-resources.js';
/** Docker's init layer, shared with build step containers. */
export { initLayer } from './init-layer.js';
export { writeEtcFiles } from './etc-files.js';
