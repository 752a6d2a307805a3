/**
 * Walking an overlayfs upper directory in a fixed order: depth first, a
 * directory before its children, names sorted by their UTF-8 bytes (the order
 * Go's filepath.Walk gives Docker). Never follows a symlink: every entry is
 * lstat-ed and only real directories are descended into.
 */
import { lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { BerthError, isErrno, lgetxattr } from '../kernel/index.js';

/** overlayfs: a directory with this xattr = "y" hides what lower layers have in it. */
const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

export type UpperKind = 'whiteout' | 'dir' | 'file' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface UpperEntry {
  /** Relative to the upper directory, `/`-separated, never empty. */
  readonly path: string;
  readonly abs: string;
  readonly stat: BigIntStats;
  readonly kind: UpperKind;
  /** A directory marked opaque by overlayfs (deleted and recreated in this layer). */
  readonly opaque: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The entries of `upperDir` (not the directory itself). Entries that vanish
 * between listing and lstat (a running container) are left out.
 */
export function* walkUpper(upperDir: string): Generator<UpperEntry> {
  yield* walkDir(upperDir, '');
}

function* walkDir(root: string, dir: string): Generator<UpperEntry> {
  for (const name of sortedNames(dir === '' ? root : join(root, dir))) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const abs = join(root, path);
    const stat = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (stat === undefined) continue;
    const kind = kindOf(stat);
    const opaque = kind === 'dir' && isOpaque(abs);
    yield { path, abs, stat, kind, opaque };
    if (kind === 'dir') yield* walkDir(root, path);
  }
}

function sortedNames(abs: string): string[] {
  let raw: Buffer[];
  try {
    raw = readdirSync(abs, { encoding: 'buffer' });
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
  return raw.sort((a, b) => Buffer.compare(a, b)).map((name) => decodeName(abs, name));
}

function decodeName(dir: string, name: Buffer): string {
  try {
    return decoder.decode(name);
  } catch (e: unknown) {
    throw new BerthError(
      'not-implemented',
      `${join(dir, name.toString('latin1'))}: file names that are not valid UTF-8 are not supported in a layer`,
      { cause: e },
    );
  }
}

function kindOf(st: BigIntStats): UpperKind {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return st.rdev === 0n ? 'whiteout' : 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

export function isOpaque(abs: string): boolean {
  return lgetxattr(abs, OVERLAY_OPAQUE_XATTR)?.toString('latin1') === 'y';
}

/** glibc's dev_t decoding (gnu_dev_major/minor). */
export function majorMinor(rdev: bigint): { major: number; minor: number } {
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn)),
  };
}
