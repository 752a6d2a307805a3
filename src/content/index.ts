/**
 * content — the blob store under `<data-root>/content`: immutable blobs named
 * by digest, visible only after verification (STYLE.md §1.6, §8; DESIGN.md §3).
 * Layout: `blobs/sha256/<hex>` (committed, read-only), `ingest/<random>`
 * (partial). It knows nothing of images, manifests or layers, and keeps no
 * references: what may be deleted is decided by GC above it.
 */
export type {
  BlobInfo,
  Expected,
  BlobReader,
  BlobWriter,
  BlobIngester,
  BlobJanitor,
  ContentStore,
  WriterOptions,
} from './content-store.js';
export { openContentStore } from './local-content-store.js';
