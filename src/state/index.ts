/**
 * state — berth.db (SQLite through better-sqlite3, WAL): the rows that name
 * images, tags, repo digests and snapshots. The only module with SQL in it;
 * every function here runs in a transaction or is a single statement. It
 * stores references only: files are written before their row and removed
 * after it (DESIGN.md §3).
 */
export { openStateDatabase } from './database.js';
export type { StateDatabase, Db } from './database.js';
export * from './images.js';
export * from './tags.js';
export * from './snapshots.js';
export * from './containers.js';
export * from './durable-leases.js';
export * from './blob-sources.js';
export * from './volumes.js';
export * from './build-cache.js';
export * from './networks.js';
