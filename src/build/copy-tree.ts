/**
 * Writing COPY/ADD sources into a step's mounted rootfs. Destinations are
 * resolved inside the rootfs (symlinks followed as the container would, never
 * out of it); files keep their mtime and, unless `--chmod`, their mode;
 * owner is root or `--chown`'s. An existing non-directory at a target is
 * replaced, as Docker does.
 */
import { copyFile, lchown, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, chmod } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Stats } from 'node:fs';
import { resolveInRoot } from '../runtime/index.js';
import { lstatOrUndefined, type ExcludeFn } from './copy-sources.js';

export interface CopyOwnership {
  uid: number;
  gid: number;
  /** `--chmod`: replaces the mode of every copied file and directory. */
  mode?: number;
  /** Keep the source's owner (ADD of a tar archive without --chown). */
  preserveOwner?: boolean;
}

/** Creates `dir` (absolute, inside the container) and missing parents, owned as `own`; returns its host path. */
export async function ensureDir(rootfs: string, dir: string, own: CopyOwnership): Promise<string> {
  let current = '/';
  for (const part of dir.split('/').filter((p) => p !== '')) {
    current = posix.join(current, part);
    const host = await resolveInRoot(rootfs, current);
    const st = await lstatOrUndefined(host);
    if (st?.isDirectory()) continue;
    if (st) await rm(host, { force: true });
    await mkdir(host, { mode: 0o755 });
    await lchown(host, own.uid, own.gid);
  }
  return resolveInRoot(rootfs, dir);
}

/**
 * Copies the context entry `srcAbs` to the host path `destHost` (its parent
 * exists). A directory's contents are merged into an existing directory.
 */
export async function copyEntry(
  srcAbs: string,
  srcRel: string,
  destHost: string,
  own: CopyOwnership,
  exclude: ExcludeFn,
): Promise<void> {
  const st = await lstat(srcAbs);
  const existing = await lstatOrUndefined(destHost);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await rm(destHost, { force: true });
    if (!existing?.isDirectory()) await mkdir(destHost);
    for (const entry of await readdir(srcAbs, { withFileTypes: true })) {
      const rel = srcRel === '' ? entry.name : `${srcRel}/${entry.name}`;
      if (exclude(rel, entry.isDirectory())) continue;
      await copyEntry(join(srcAbs, entry.name), rel, join(destHost, entry.name), own, exclude);
    }
  } else {
    if (existing?.isDirectory()) await rm(destHost, { recursive: true, force: true });
    else if (existing) await rm(destHost, { force: true });
    if (st.isSymbolicLink()) await symlink(await readlink(srcAbs), destHost);
    else await copyFile(srcAbs, destHost);
  }
  await applyMetadata(destHost, st, own);
}

async function applyMetadata(path: string, st: Stats, own: CopyOwnership): Promise<void> {
  if (own.preserveOwner) await lchown(path, st.uid, st.gid);
  else await lchown(path, own.uid, own.gid);
  if (st.isSymbolicLink()) {
    await lutimes(path, st.atime, st.mtime);
    return;
  }
  // chmod after chown: chown clears setuid/setgid bits.
  await chmod(path, own.mode ?? st.mode & 0o7777);
  await lutimes(path, st.atime, st.mtime);
}
