/**
 * snapshot — unpacked layers under `<data-root>/snapshots`, one directory per
 * layer keyed by chain ID, stacked with overlayfs. Owns the prepare → commit →
 * remove lifecycle and snapshot GC; does not mount (callers do) and does not
 * know about images beyond the layer references recorded in state.
 */
export { openSnapshotter } from './snapshotter.js';
export type { Snapshotter, PreparedSnapshot } from './snapshotter.js';
export type { SnapshotRow } from '../state/index.js';
export {
  prepareWritable,
  mountWritable,
  unmountWritable,
  removeWritable,
  discardWritable,
  purgeTrash,
} from './writable.js';
export type { WritableLayer, PrepareWritableOptions } from './writable.js';
