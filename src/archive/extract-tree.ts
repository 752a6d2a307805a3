/**
 * The extraction root as berth has built it so far, and the only way entries
 * reach the filesystem: every path is resolved component by component with
 * lstat, so nothing is ever created through a symlink.
 *
 * Why lstat walks instead of openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS): the
 * root is a fresh private directory (a snapshot not yet committed or mounted)
 * that only this extraction writes, so the tree cannot change between a check
 * and the use that follows; the only adversary is the tar itself, and it acts
 * through our own sequential operations. That lets the walk be cached (one Set
 * lookup per entry in the common case) and keeps Node's fs API, where openat2
 * would need a parallel fd-relative API bound through FFI for every call
 * (mkdirat, symlinkat, linkat, mknodat, fchownat, utimensat, and xattrs via
 * /proc/self/fd since there is no lsetxattrat).
 */
import { lstatSync, lutimesSync, mkdirSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument, lsetxattr } from '../kernel/index.js';
import { parentPath } from './extract-paths.js';

/** overlayfs: a directory with this xattr = "y" hides lower layers' entries in it. */
const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';
const IMPLICIT_DIR_MODE = 0o755;

export class LayerTree {
  /** Paths (relative, `` = root) known to be real directories, with every ancestor. */
  private readonly dirs = new Set<string>(['']);
  /** Paths holding a whiteout device made from this layer's `.wh.` entries. */
  private readonly whiteouts = new Set<string>();
  /** Directory times, applied last because creating children changes them. */
  private readonly dirTimes = new Map<string, { atime: number; mtime: number }>();

  constructor(readonly root: string) {}

  abs(path: string): string {
    return path === '' ? this.root : join(this.root, path);
  }

  /**
   * Makes sure every ancestor of `path` is a real directory, creating missing
   * ones (0755, like tar's implicit parents). A symlink or other non-directory
   * ancestor is refused; a whiteout made by this layer becomes an opaque
   * directory, since "delete it, then create something inside it" means that.
   */
  async ensureParents(path: string, name: string): Promise<void> {
    await this.ensureDir(parentPath(path), name);
  }

  /** Like ensureParents, but for `dir` itself too. */
  async ensureDir(dir: string, name: string): Promise<void> {
    await this.walk(dir, name, true);
  }

  /** Like ensureParents, but creates nothing: for hardlink targets. */
  async checkParents(path: string, name: string): Promise<void> {
    await this.walk(parentPath(path), name, false);
  }

  private async walk(target: string, name: string, create: boolean): Promise<void> {
    if (this.dirs.has(target)) return;
    let dir = '';
    for (const part of target.split('/')) {
      dir = dir === '' ? part : `${dir}/${part}`;
      if (this.dirs.has(dir)) continue;
      const kind = this.kindOf(dir);
      if (kind === 'dir') {
        this.dirs.add(dir);
      } else if (kind === 'missing' && create) {
        mkdirSync(this.abs(dir), IMPLICIT_DIR_MODE);
        this.dirs.add(dir);
      } else if (kind === 'whiteout' && create) {
        await this.replaceWhiteoutWithDir(dir);
      } else {
        throw invalidArgument(`refusing layer entry ${JSON.stringify(name)}: ${describeParent(dir, kind)}`);
      }
    }
  }

  private kindOf(path: string): 'dir' | 'missing' | 'whiteout' | 'symlink' | 'other' {
    if (this.whiteouts.has(path)) return 'whiteout';
    const st = lstatSync(this.abs(path), { throwIfNoEntry: false });
    if (st === undefined) return 'missing';
    if (st.isDirectory()) return 'dir';
    return st.isSymbolicLink() ? 'symlink' : 'other';
  }

  /** Marks `path` as a directory this extraction created. */
  addDir(path: string): void {
    this.dirs.add(path);
  }

  isWhiteout(path: string): boolean {
    return this.whiteouts.has(path);
  }

  addWhiteout(path: string): void {
    this.whiteouts.add(path);
  }

  /** Removes whatever is at `path` (recursively) and forgets what was known under it. */
  async remove(path: string): Promise<void> {
    if (path === '') throw invalidArgument('refusing to replace the layer root');
    if (this.whiteouts.delete(path)) {
      await unlink(this.abs(path));
      return;
    }
    await rm(this.abs(path), { recursive: true, force: true });
    this.forget(path);
  }

  private forget(path: string): void {
    const prefix = `${path}/`;
    for (const set of [this.dirs, this.whiteouts]) {
      for (const p of set) if (p === path || p.startsWith(prefix)) set.delete(p);
    }
    for (const p of this.dirTimes.keys()) if (p === path || p.startsWith(prefix)) this.dirTimes.delete(p);
  }

  /** Sets the overlayfs opaque marker on a directory. */
  markOpaque(path: string): void {
    lsetxattr(this.abs(path), OVERLAY_OPAQUE_XATTR, Buffer.from('y'));
  }

  private async replaceWhiteoutWithDir(path: string): Promise<void> {
    await this.remove(path);
    mkdirSync(this.abs(path), IMPLICIT_DIR_MODE);
    this.dirs.add(path);
    this.markOpaque(path);
  }

  deferDirTimes(path: string, atime: number, mtime: number): void {
    this.dirTimes.set(path, { atime, mtime });
  }

  /** Applies directory times, deepest first, so setting one cannot disturb another. */
  applyDirTimes(): void {
    const depth = (p: string) => (p === '' ? 0 : p.split('/').length);
    const paths = [...this.dirTimes.keys()].sort((a, b) => depth(b) - depth(a));
    for (const path of paths) {
      const t = this.dirTimes.get(path)!;
      lutimesSync(this.abs(path), t.atime, t.mtime);
    }
  }
}

function describeParent(dir: string, kind: string): string {
  const quoted = JSON.stringify(dir);
  switch (kind) {
    case 'symlink':
      return `path component ${quoted} is a symbolic link, and berth never writes through one`;
    case 'missing':
      return `${quoted} does not exist in this layer`;
    case 'whiteout':
      return `${quoted} is a whiteout`;
    default:
      return `path component ${quoted} is not a directory`;
  }
}
