/**
 * Applying one tar entry to a LayerTree: the file types tar can hold, their
 * owner, mode, times and xattrs, and whiteouts converted to overlayfs form
 * (a 0/0 character device; `trusted.overlay.opaque=y` on a directory).
 */
import { chmodSync, constants, lchownSync, linkSync, lstatSync, lutimesSync, mkdirSync, symlinkSync } from 'node:fs';
import { invalidArgument, isErrno, lsetxattr, makedev, mknod } from '../kernel/index.js';
import { readSmall, SMALL_FILE_MAX, streamLargeFile, writeSmallFile, type EntryData } from './extract-file.js';
import { classifyEntryPath, normaliseEntryPath } from './extract-paths.js';
import { entryAttributes, entryXattrs, type TarHeader } from './extract-pax.js';
import type { LayerTree } from './extract-tree.js';

export type { EntryData } from './extract-file.js';

export interface ExtractStats {
  /** Tar entries processed, whiteouts and skipped ones included. */
  entries: number;
  /** Regular files written (hardlinks not counted). */
  files: number;
  /** Bytes of regular file data written. */
  bytes: number;
}

const { S_IFCHR, S_IFBLK, S_IFIFO } = constants;
/** overlayfs whiteouts are mode 0 like the ones the kernel makes itself. */
const WHITEOUT_MODE = S_IFCHR;
/**
 * overlayfs reserves `trusted.overlay.*`; honouring them from a tar would let
 * a layer steer overlay lookups (redirect, metacopy). Deletion is expressed
 * with whiteouts, which we convert ourselves.
 */
const RESERVED_XATTR_PREFIX = 'trusted.overlay.';
/** Namespaces Linux knows; others (e.g. macOS `com.apple.*` from bsdtar) cannot be set and are skipped. */
const XATTR_NAMESPACES = ['user.', 'trusted.', 'security.', 'system.'];

// Metadata calls below are synchronous on purpose: see extract-file.ts for
// the measurements (one thread-pool round trip per call cost far more than
// the call). Each is a single inode update that does not wait for the disk.

export async function applyEntry(
  tree: LayerTree,
  header: TarHeader,
  data: EntryData,
  stats: ExtractStats,
): Promise<void> {
  const name = header.name;
  const path = normaliseEntryPath(name);
  const target = path === '' ? ({ kind: 'path', path } as const) : classifyEntryPath(path, name);
  stats.entries++;
  switch (target.kind) {
    case 'ignored':
      return;
    case 'opaque':
      await tree.ensureDir(target.dir, name);
      tree.markOpaque(target.dir);
      return;
    case 'whiteout':
      return applyWhiteout(tree, target.path, name);
    case 'path':
      return createEntry(tree, path, header, data, stats);
  }
}

async function applyWhiteout(tree: LayerTree, path: string, name: string): Promise<void> {
  await tree.ensureParents(path, name);
  if (tree.isWhiteout(path)) return;
  try {
    mknod(tree.abs(path), WHITEOUT_MODE, makedev(0, 0));
    tree.addWhiteout(path);
  } catch (e: unknown) {
    if (!isErrno(e, 'EEXIST')) throw e;
    // The same layer already made this path. A whiteout only deletes what lower
    // layers had (layer.md): a file of this layer already hides theirs, and a
    // directory of this layer must stop showing theirs, i.e. become opaque.
    if (lstatSync(tree.abs(path)).isDirectory()) tree.markOpaque(path);
  }
}

async function createEntry(tree: LayerTree, path: string, header: TarHeader, data: EntryData, stats: ExtractStats) {
  if (path === '') {
    // `./` sets the root directory's own owner, mode and times.
    if (header.type !== 'directory') throw refuse(header.name, 'it would replace the layer root');
    return setMetadata(tree, path, header, 'dir');
  }
  await tree.ensureParents(path, header.name);
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return writeFile(tree, path, header, data, stats);
    case 'directory':
      return makeDir(tree, path, header);
    case 'symlink':
      return makeSymlink(tree, path, header);
    case 'link':
      return makeHardlink(tree, path, header);
    case 'character-device':
    case 'block-device':
    case 'fifo':
      return makeNode(tree, path, header);
    default:
      throw refuse(header.name, `unsupported tar entry type ${String(header.type)}`);
  }
}

/** Creates with `create`; if the path is taken, removes what is there (tar semantics) and retries once. */
async function createReplacing(tree: LayerTree, path: string, create: () => void | Promise<void>): Promise<void> {
  if (tree.isWhiteout(path)) await tree.remove(path);
  try {
    await create();
  } catch (e: unknown) {
    if (!isErrno(e, 'EEXIST')) throw e;
    await tree.remove(path);
    await create();
  }
}

async function writeFile(tree: LayerTree, path: string, header: TarHeader, data: EntryData, stats: ExtractStats) {
  const abs = tree.abs(path);
  const size = header.size ?? 0;
  if (size <= SMALL_FILE_MAX) {
    const bytes = await readSmall(data);
    const attrs = { ...entryAttributes(header), mode: header.mode ?? 0o644 };
    await createReplacing(tree, path, () => writeSmallFile(abs, bytes, attrs, () => setXattrs(abs, header)));
  } else {
    await createReplacing(tree, path, () => streamLargeFile(abs, data));
    setMetadata(tree, path, header, 'file');
  }
  stats.files++;
  stats.bytes += size;
}

async function makeDir(tree: LayerTree, path: string, header: TarHeader): Promise<void> {
  const abs = tree.abs(path);
  const wasWhiteout = tree.isWhiteout(path);
  if (wasWhiteout) await tree.remove(path);
  try {
    mkdirSync(abs, 0o700);
  } catch (e: unknown) {
    if (!isErrno(e, 'EEXIST')) throw e;
    // A directory re-declared keeps its contents; anything else is replaced.
    if (!lstatSync(abs).isDirectory()) {
      await tree.remove(path);
      mkdirSync(abs, 0o700);
    }
  }
  tree.addDir(path);
  // Whiteout then directory in one layer: lower contents deleted, new ones kept.
  if (wasWhiteout) tree.markOpaque(path);
  setMetadata(tree, path, header, 'dir');
}

async function makeSymlink(tree: LayerTree, path: string, header: TarHeader): Promise<void> {
  const target = header.linkname ?? '';
  if (target === '') throw refuse(header.name, 'symlink has an empty target');
  // The target is stored as text and never followed by berth, so it may point anywhere.
  await createReplacing(tree, path, () => symlinkSync(target, tree.abs(path)));
  setMetadata(tree, path, header, 'symlink');
}

async function makeHardlink(tree: LayerTree, path: string, header: TarHeader): Promise<void> {
  const targetName = header.linkname ?? '';
  const target = normaliseEntryPath(targetName, header.name);
  const what = `hardlink target ${JSON.stringify(targetName)}`;
  if (target === '') throw refuse(header.name, `${what} is the layer root`);
  await tree.checkParents(target, header.name);
  if (tree.isWhiteout(target)) throw refuse(header.name, `${what} is a whiteout`);
  const st = lstatSync(tree.abs(target), { throwIfNoEntry: false });
  if (st === undefined) throw refuse(header.name, `${what} does not exist in this layer`);
  if (st.isDirectory()) throw refuse(header.name, `${what} is a directory`);
  // Some tars link a path to itself when re-adding a file; it already is that file.
  if (target === path) return;
  // link(2) does not follow a symlink target on Linux: a link to a symlink is a second symlink.
  await createReplacing(tree, path, () => linkSync(tree.abs(target), tree.abs(path)));
}

async function makeNode(tree: LayerTree, path: string, header: TarHeader): Promise<void> {
  const type = header.type === 'fifo' ? S_IFIFO : header.type === 'block-device' ? S_IFBLK : S_IFCHR;
  const dev = header.type === 'fifo' ? 0n : makedev(header.devmajor ?? 0, header.devminor ?? 0);
  await createReplacing(tree, path, () => mknod(tree.abs(path), type | 0o600, dev));
  setMetadata(tree, path, header, 'node');
}

/**
 * Owner, mode, xattrs and times by path (the tree is private to us, see
 * extract-tree.ts). Order matters: chown clears setuid/setgid and file
 * capabilities, so mode and xattrs come after it.
 */
function setMetadata(
  tree: LayerTree,
  path: string,
  header: TarHeader,
  kind: 'file' | 'dir' | 'symlink' | 'node',
): void {
  const abs = tree.abs(path);
  const attrs = entryAttributes(header);
  lchownSync(abs, attrs.uid, attrs.gid);
  // chmod follows symlinks, so never on one (Linux has no symlink modes anyway).
  if (kind !== 'symlink') chmodSync(abs, header.mode ?? (kind === 'dir' ? 0o755 : 0o644));
  setXattrs(abs, header);
  if (kind === 'dir') tree.deferDirTimes(path, attrs.atime, attrs.mtime);
  else lutimesSync(abs, attrs.atime, attrs.mtime);
}

function setXattrs(abs: string, header: TarHeader): void {
  for (const [name, value] of entryXattrs(header)) {
    if (name.startsWith(RESERVED_XATTR_PREFIX)) continue;
    if (!XATTR_NAMESPACES.some((ns) => name.startsWith(ns))) continue;
    lsetxattr(abs, name, value);
  }
}

function refuse(name: string, why: string) {
  return invalidArgument(`refusing layer entry ${JSON.stringify(name)}: ${why}`);
}
