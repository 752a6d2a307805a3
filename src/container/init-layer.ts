import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../kernel/index.js';

/**
 * Docker's "init layer": a read-only layer between the image and the
 * container's writable layer holding the mount points runc needs (`/proc`,
 * `/sys`, `/dev`, the /etc files berth binds) and the files every container
 * has. Without it runc would create them in the writable layer, and `docker
 * diff` and `commit` would report them as the container's changes.
 */
export async function writeInitLayer(dir: string): Promise<string> {
  const init = join(dir, 'init');
  for (const d of ['dev/pts', 'dev/shm', 'dev/mqueue', 'proc', 'sys', 'etc']) {
    await mkdir(join(init, d), { recursive: true, mode: 0o755 });
  }
  for (const f of ['etc/hostname', 'etc/hosts', 'etc/resolv.conf', 'dev/console', '.dockerenv']) {
    await writeFile(join(init, f), '', { mode: 0o755 });
  }
  await symlink('/proc/mounts', join(init, 'etc/mtab')).catch((e: unknown) => {
    if (!isErrno(e, 'EEXIST')) throw e;
  });
  return init;
}
