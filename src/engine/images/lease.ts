import type { Lease } from '../../kernel/index.js';
import type { ImageDeps } from './deps.js';
import { collectGarbage } from './gc.js';

/**
 * Runs an operation that adds blobs and snapshots under one lease (STYLE.md
 * §1.8). On failure, `discard` drops what was prepared but not committed,
 * then GC removes whatever the operation committed but no image refers to,
 * so a failed load, import or commit leaves the store as it was.
 */
export async function underLease<T>(
  deps: ImageDeps,
  work: (lease: Lease) => Promise<T>,
  discard: () => Promise<void> = () => Promise.resolve(),
): Promise<T> {
  const lease = deps.leases.acquire();
  try {
    return await work(lease);
  } catch (e) {
    await discard();
    lease.release();
    await collectGarbage(deps);
    throw e;
  } finally {
    await discard();
    lease.release();
  }
}
