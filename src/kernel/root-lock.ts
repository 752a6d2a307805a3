import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError } from './errors.js';
import { tryLockExclusive } from './syscalls.js';

/** The lock a daemon holds on a root directory it owns for its whole life. */
export interface RootLock {
  release(): Promise<void>;
}

/**
 * Takes `<dir>/berthd.lock` (flock(2), exclusive) for this process, and
 * writes its PID there. A second daemon on the same data or exec root would
 * run its startup reconcile against the first one's live state (removing
 * its namespaces, half-done pulls and pooled sandboxes); it stops here
 * instead, naming the holder, as dockerd does with its pidfile.
 */
export async function lockRoot(dir: string): Promise<RootLock> {
  const path = join(dir, 'berthd.lock');
  const file = await open(path, 'a+', 0o600);
  try {
    if (!tryLockExclusive(file.fd, path)) {
      const holder = (await file.readFile('utf8')).trim();
      throw new BerthError(
        'conflict',
        `another berthd${holder ? ` (pid ${holder})` : ''} is using ${dir}; stop it or choose another root`,
      );
    }
    await file.truncate(0);
    await file.write(`${process.pid}\n`, 0);
  } catch (e) {
    await file.close();
    throw e;
  }
  // Closing the only fd of the open file releases the lock.
  return { release: () => file.close() };
}
