/**
 * A container's writable layer: the active snapshot on top of an image's
 * committed ones. Lifecycle: prepare (directories) → mount (overlayfs at
 * `rootfs/`) → unmount → remove. What the container changed lives in
 * `upper/`; archive's `listChanges` and `writeLayerTar` read it for
 * `docker diff` and `docker commit`.
 *
 * Layout under `<data-root>/containers/<id>/`:
 *   upper/   overlay upperdir: the changes
 *   work/    overlay workdir (same filesystem as upper/, kernel scratch)
 *   rootfs/  the mount point
 *   empty/   the lower directory of an image without layers
 */
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { BerthError, conflict, invalidArgument, isErrno, umount2Async } from '../kernel/index.js';
import { mountOverlay, mountsUnder } from './writable-mount.js';

export interface WritableLayer {
  readonly root: string;
  readonly upperDir: string;
  readonly workDir: string;
  readonly mountpoint: string;
  /** overlay `lowerdir` order (top layer first); never empty. */
  readonly lowerDirs: readonly string[];
}

export interface PrepareWritableOptions {
  /** The container's directory, `<data-root>/containers/<id>`. */
  root: string;
  /** The image's committed layer directories, top layer first (Snapshotter.lowerDirs); may be empty. */
  lowerDirs: readonly string[];
}

/** umount2(2) flag: detach now, finish when the last user goes. */
const MNT_DETACH = 2;
/** overlayfs needs a lower directory even with an upper one; an image without layers gets this empty one. */
const EMPTY_LOWER = 'empty';

/**
 * Creates the writable layer's directories (idempotent: preparing again keeps
 * what `upper/` holds). Lower directories must be absolute and exist.
 */
export async function prepareWritable(options: PrepareWritableOptions): Promise<WritableLayer> {
  const { root } = options;
  if (!isAbsolute(root)) throw invalidArgument(`writable layer root ${root} is not absolute`);
  await Promise.all(options.lowerDirs.map(checkLowerDir));
  const layer: WritableLayer = {
    root,
    upperDir: join(root, 'upper'),
    workDir: join(root, 'work'),
    mountpoint: join(root, 'rootfs'),
    lowerDirs: options.lowerDirs.length > 0 ? [...options.lowerDirs] : [join(root, EMPTY_LOWER)],
  };
  const dirs = [layer.upperDir, layer.workDir, layer.mountpoint];
  if (options.lowerDirs.length === 0) dirs.push(layer.lowerDirs[0]!);
  await mkdir(root, { recursive: true, mode: 0o700 });
  // 0755 like an image root: the container's `/` is the upper directory's mode once copied up.
  for (const dir of dirs) await mkdir(dir, { recursive: true, mode: 0o755 });
  return layer;
}

async function checkLowerDir(dir: string): Promise<void> {
  if (!isAbsolute(dir)) throw invalidArgument(`lower directory ${dir} is not absolute`);
  const st = await lstat(dir).catch((e: unknown) => {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  });
  if (!st?.isDirectory()) throw invalidArgument(`lower directory ${dir} does not exist or is not a directory`);
}

export interface MountWritableOptions {
  /**
   * A disposable layer (a `--rm` container's, a build step's): mounted
   * `volatile` (see OverlaySpec). The kernel marks such a work directory and
   * refuses to mount it again; berth unmounted it itself, so the mark is
   * cleared before a new mount.
   */
  volatile?: boolean;
}

/** Mounts the layer's overlay at its mountpoint; refuses if something is mounted there already. */
export function mountWritable(layer: WritableLayer, options: MountWritableOptions = {}): void {
  if (mountsUnder(layer.mountpoint).includes(layer.mountpoint)) {
    throw conflict(`writable layer ${layer.mountpoint} is already mounted`);
  }
  if (options.volatile === true) rmSync(join(layer.workDir, 'work', 'incompat'), { recursive: true, force: true });
  mountOverlay({ ...layer, volatile: options.volatile === true }, layer.mountpoint);
}

/**
 * Unmounts `mountpoint`; a busy mount (a process still inside, a mount below
 * it) is detached instead, and the kernel finishes when it is free. Not
 * mounted is success. Off the main thread: unmounting a non-volatile overlay
 * syncs its upper filesystem, which takes as long as the disk needs.
 */
export async function unmountWritable(mountpoint: string): Promise<void> {
  try {
    await umount2Async(mountpoint);
  } catch (e: unknown) {
    if (isErrno(e, 'EINVAL') || isErrno(e, 'ENOENT')) return;
    if (!isErrno(e, 'EBUSY')) throw e;
    await umount2Async(mountpoint, MNT_DETACH);
  }
}

/**
 * Unmounts and deletes the writable layer at `root`. Refuses while anything
 * is still mounted under it: deleting recursively would walk into the mount
 * (a bind-mounted volume, say) and delete what it shows.
 */
export async function removeWritable(root: string): Promise<void> {
  await unmountForRemoval(root);
  await rm(root, { recursive: true, force: true });
}

/**
 * removeWritable for callers that report the removal at once: after the
 * unmount, `root` is renamed into `trashDir` (same filesystem) and deleted
 * from there in the background — `deleted` settles when it is gone. The
 * delete costs ~10 ms for a small container and grows with its writable
 * layer; `purgeTrash` at startup finishes what a crash interrupted.
 */
export async function discardWritable(root: string, trashDir: string): Promise<{ deleted: Promise<void> }> {
  await unmountForRemoval(root);
  await mkdir(trashDir, { recursive: true, mode: 0o700 });
  const trashed = join(trashDir, `${basename(root)}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(root, trashed);
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return { deleted: Promise.resolve() };
    throw e;
  }
  return { deleted: rm(trashed, { recursive: true, force: true }) };
}

/** Deletes whatever discardWritable left in `trashDir`. */
export async function purgeTrash(trashDir: string): Promise<void> {
  await rm(trashDir, { recursive: true, force: true });
}

async function unmountForRemoval(root: string): Promise<void> {
  await unmountWritable(join(root, 'rootfs'));
  const mounted = mountsUnder(root);
  if (mounted.length > 0) {
    throw new BerthError('failed-precondition', `cannot remove ${root}: still mounted: ${mounted.join(', ')}`);
  }
}
