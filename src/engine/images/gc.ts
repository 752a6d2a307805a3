import type { Digest } from '../../kernel/index.js';
import { durablyLeasedKeys, listImages } from '../../state/index.js';
import type { ImageDeps } from './deps.js';

/**
 * Mark and sweep (STYLE.md §8): every blob an image's manifest names is
 * kept, and so is everything under a lease; other blobs and unreferenced
 * snapshots are removed. Runs at startup and after prunes and failed loads.
 */
export async function collectGarbage(deps: ImageDeps): Promise<{ blobs: number; snapshots: number }> {
  const keep = new Set<Digest>();
  for (const image of listImages(deps.db)) {
    keep.add(image.manifestDigest);
    keep.add(image.id);
    const manifest = await deps.store.manifest(image.manifestDigest);
    for (const layer of manifest.layers) keep.add(layer.digest);
  }
  // A pull's verified layers outlive a crash under a durable lease.
  const durable = durablyLeasedKeys(deps.db);
  const isLeased = (key: string) => deps.leases.isLeased(key) || durable.has(key);
  let blobs = 0;
  for await (const blob of deps.content.walk()) {
    if (keep.has(blob.digest) || isLeased(blob.digest)) continue;
    await deps.content.delete(blob.digest);
    blobs++;
  }
  const snapshots = (await deps.snapshotter.collectGarbage(isLeased)).length;
  if (blobs > 0) deps.logger.info('blob gc', { removed: blobs });
  return { blobs, snapshots };
}
