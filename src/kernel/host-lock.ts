/**
 * A lock shared by every berthd on the host, whatever its data root: for
 * choices that would otherwise race between daemons, such as taking the
 * first free address pool before the bridge that claims it exists.
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { lockExclusive } from './syscalls.js';

/** The FHS place for lock files; every daemon on the host sees the same one. */
const LOCK_DIR = '/run/lock';

/** Runs `fn` holding the host-wide lock `name` (flock(2) on `/run/lock/berth-<name>.lock`). */
export async function withHostLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(LOCK_DIR, { recursive: true });
  const file = await open(join(LOCK_DIR, `berth-${name}.lock`), 'a', 0o600);
  try {
    await lockExclusive(file.fd);
    return await fn();
  } finally {
    // Closing the only fd of the open file releases the lock.
    await file.close();
  }
}
