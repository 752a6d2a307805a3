import { constants, type BigIntStats } from 'node:fs';
import { chmod, copyFile, lchown, link, lstat, lutimes, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno, lgetxattr, llistxattr, lsetxattr, mknod } from '../kernel/index.js';

/**
 * Copies the contents of `source` into the (empty) directory `target`
 * keeping what a database or service relies on: owners, modes (set-id bits
 * too), times, symlinks, hard links, device nodes, FIFOs and extended
 * attributes. The target directory itself takes the source's owner and mode,
 * as Docker's copy of an image's content into a new volume does. Sockets
 * are skipped: they mean nothing without their process.
 */
export async function copyUp(source: string, target: string): Promise<void> {
  const links = new Map<bigint, string>();
  await copyChildren(source, target, links);
  await copyMetadata(source, target, await lstat(source, { bigint: true }));
}

async function copyChildren(source: string, target: string, links: Map<bigint, string>): Promise<void> {
  for (const entry of await readdir(source)) {
    await copyEntry(join(source, entry), join(target, entry), links);
  }
}

async function copyEntry(from: string, to: string, links: Map<bigint, string>): Promise<void> {
  const st = await lstat(from, { bigint: true });
  if (st.isDirectory()) {
    await mkdir(to);
    await copyChildren(from, to, links);
    await copyMetadata(from, to, st);
    return;
  }
  const linked = st.nlink > 1n ? links.get(st.ino) : undefined;
  if (linked !== undefined) {
    await link(linked, to);
    return;
  }
  if (st.isSymbolicLink()) {
    await symlink(await readlink(from), to);
    await lchown(to, Number(st.uid), Number(st.gid));
    await lutimes(to, st.atime, st.mtime);
    return;
  }
  if (st.isSocket()) return;
  if (st.isFile()) await copyFile(from, to, constants.COPYFILE_FICLONE);
  else mknod(to, Number(st.mode), st.isFIFO() ? 0n : st.rdev);
  if (st.nlink > 1n) links.set(st.ino, to);
  await copyMetadata(from, to, st);
}

/** Owner before mode: chown clears set-id bits. */
async function copyMetadata(from: string, to: string, st: BigIntStats): Promise<void> {
  await lchown(to, Number(st.uid), Number(st.gid));
  await chmod(to, Number(st.mode) & 0o7777);
  copyXattrs(from, to);
  await lutimes(to, st.atime, st.mtime);
}

function copyXattrs(from: string, to: string): void {
  for (const name of llistxattr(from)) {
    const value = lgetxattr(from, name);
    if (value === undefined) continue;
    try {
      lsetxattr(to, name, value);
    } catch (e: unknown) {
      // A volume on a filesystem without that namespace (tmpfs and user.*) keeps the data, not the attribute.
      if (!isErrno(e, 'EOPNOTSUPP') && !isErrno(e, 'ENOTSUP') && !isErrno(e, 'EPERM')) throw e;
    }
  }
}
