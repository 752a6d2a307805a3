import { constants } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, isErrno } from '../kernel/index.js';

/** Symlink hops allowed while resolving inside a rootfs, as the kernel's MAXSYMLINKS. */
const maxSymlinks = 40;

/**
 * Resolves `target` (absolute, as seen inside the container) to a host path
 * under `rootfs`, following symlinks as if `rootfs` were `/`: an absolute
 * link target restarts at the rootfs and `..` never climbs above it. So an
 * image whose /etc/passwd links to /../../etc/shadow reads its own file, never
 * the host's.
 */
export async function resolveInRoot(rootfs: string, target: string): Promise<string> {
  return path.join(rootfs, ...(await resolveParts((parts) => path.join(rootfs, ...parts), target)));
}

/**
 * `resolveInRoot` over any mapping of container paths to host paths (a
 * rootfs with volumes mounted over it, say): the components of `target`
 * with every symlink followed inside the container's view.
 */
export async function resolveParts(
  hostPathOf: (parts: readonly string[]) => string,
  target: string,
): Promise<string[]> {
  let pending = splitPath(target);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = hostPathOf([...resolved, part]);
    const stat = await lstatOrNull(candidate);
    if (stat?.isSymbolicLink() !== true) {
      resolved.push(part);
      continue;
    }
    if (++hops > maxSymlinks) throw invalidArgument(`too many levels of symbolic links resolving ${target}`);
    const link = await readlink(candidate);
    if (link.startsWith('/')) resolved.length = 0;
    pending = [...splitPath(link), ...pending];
  }
  return resolved;
}

function splitPath(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}

async function lstatOrNull(p: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(p);
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return null;
    throw e;
  }
}

/** Largest passwd/group file read; bigger files are not what an image ships. */
const maxFileBytes = 4 * 1024 * 1024;

/**
 * Reads a file of the container's rootfs (e.g. `/etc/passwd`), or returns
 * undefined when it does not exist. It must be a regular file; the final open
 * refuses a symlink, so nothing swapped in after resolution leads outside.
 */
export async function readRootfsFile(rootfs: string, target: string): Promise<string | undefined> {
  const hostPath = await resolveInRoot(rootfs, target);
  let handle;
  try {
    handle = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return undefined;
    throw e;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw invalidArgument(`${target} in the container is not a regular file`);
    if (stat.size > maxFileBytes) throw invalidArgument(`${target} in the container is too large`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
