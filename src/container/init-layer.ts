import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../kernel/index.js';

/** One init layer per data root, made once per process (see `initLayer`). */
const made = new Map<string, Promise<string>>();

/**
 * Docker's "init layer": a read-only layer between the image and a
 * container's writable layer holding the mount points runc needs (`/proc`,
 * `/sys`, `/dev`, the /etc files berth binds) and the files every container
 * has. Without it runc would create them in the writable layer, and `docker
 * diff` and `commit` would report them as the container's changes.
 *
 * Its content is the same for every container, so one directory serves them
 * all (each container binds its own /etc files over the empty ones): a start
 * saves its dozen file operations and a removal as many. Made once per
 * process; what exists is never rewritten, since running containers have
 * it as a lower directory.
 */
export function initLayer(dataRoot: string): Promise<string> {
  const dir = join(dataRoot, 'init-layer');
  let layer = made.get(dir);
  if (!layer) {
    layer = writeInitLayer(dir);
    made.set(dir, layer);
    layer.catch(() => made.delete(dir));
  }
  return layer;
}

async function writeInitLayer(init: string): Promise<string> {
  const exists = (e: unknown) => {
    if (!isErrno(e, 'EEXIST')) throw e;
  };
  for (const d of ['dev/pts', 'dev/shm', 'dev/mqueue', 'proc', 'sys', 'etc']) {
    await mkdir(join(init, d), { recursive: true, mode: 0o755 });
  }
  for (const f of ['etc/hostname', 'etc/hosts', 'etc/resolv.conf', 'dev/console', '.dockerenv']) {
    await writeFile(join(init, f), '', { mode: 0o755, flag: 'wx' }).catch(exists);
  }
  await symlink('/proc/mounts', join(init, 'etc/mtab')).catch(exists);
  return init;
}
