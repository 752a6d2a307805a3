/**
 * The overlayfs mount of a writable layer: its option string, kept within the
 * one page mount(2) accepts, and the mount table lookups unmounting needs.
 */
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { BerthError, invalidArgument, mount } from '../kernel/index.js';

/**
 * mount(2) copies at most one page of options, NUL included. 4 KiB pages are
 * the smallest Linux has, so this holds on every machine.
 */
const MOUNT_DATA_MAX = 4095;

/**
 * Copy-up must copy for real, so that the upper directory is a complete
 * changeset: no directory redirects (a renamed lower directory would be a
 * pointer to it), no metadata-only copies (a chmod-ed file would have no
 * data), no inode index. Named explicitly because kernels and distributions
 * differ in their defaults; with redirect_dir off, renaming a lower directory
 * fails with EXDEV and tools fall back to copying, as under Docker.
 */
const COPY_UP_OPTIONS = 'index=off,redirect_dir=off,metacopy=off';
/** Separators of overlay's option syntax; berth does not escape them. */
const UNSAFE_PATH = /[,:\\]/;

export interface OverlaySpec {
  /** Top layer first, at least one. */
  readonly lowerDirs: readonly string[];
  readonly upperDir: string;
  readonly workDir: string;
  /**
   * overlayfs's `volatile`: no sync of the upper filesystem, ever — above all
   * not at unmount, where a sync flushes every dirty page of the filesystem
   * the upper directory is on (85 ms per container exit was measured while a
   * pull was writing). For layers thrown away after use, which a crash would
   * leave inconsistent anyway (the kernel then refuses the remount).
   */
  readonly volatile?: boolean;
}

/** The overlay option string for `spec` with its paths as given. */
function overlayOptions(spec: OverlaySpec, lowerDirs: readonly string[] = spec.lowerDirs): string {
  const volatile = spec.volatile === true ? ',volatile' : '';
  return `lowerdir=${lowerDirs.join(':')},upperdir=${spec.upperDir},workdir=${spec.workDir},${COPY_UP_OPTIONS}${volatile}`;
}

/**
 * Mounts `spec` at `target`. When the lower paths make the options longer
 * than a page, each lower directory is opened and named by its
 * `/proc/self/fd/<n>` link instead (about 16 bytes a layer, so some 240
 * layers fit; the kernel itself stops at 500): the kernel resolves those
 * while mount(2) runs and keeps the directories, not the names, so the fds
 * are closed right after. This replaces Docker's chdir to a short-link
 * directory, which Node cannot do without affecting the whole process.
 */
export function mountOverlay(spec: OverlaySpec, target: string, flags = 0): void {
  checkPaths(spec);
  const plain = overlayOptions(spec);
  if (Buffer.byteLength(plain) <= MOUNT_DATA_MAX) return mount('overlay', target, 'overlay', flags, plain);
  const fds: number[] = [];
  try {
    for (const dir of spec.lowerDirs) fds.push(openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY));
    const short = overlayOptions(
      spec,
      fds.map((fd) => `/proc/self/fd/${fd}`),
    );
    if (Buffer.byteLength(short) > MOUNT_DATA_MAX) {
      throw new BerthError(
        'not-implemented',
        `cannot mount ${spec.lowerDirs.length} layers: the overlay options exceed one page even with short paths`,
      );
    }
    mount('overlay', target, 'overlay', flags, short);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

function checkPaths(spec: OverlaySpec): void {
  if (spec.lowerDirs.length === 0) throw invalidArgument('an overlay mount needs at least one lower directory');
  for (const path of [...spec.lowerDirs, spec.upperDir, spec.workDir]) {
    if (UNSAFE_PATH.test(path))
      throw invalidArgument(`overlay path ${path} contains ',', ':' or '\\', which berth does not escape`);
  }
}

/** Mount points at or below `dir` in this process's mount namespace, deepest last. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined)
    .map(unescapeMountPath)
    .filter((path) => path === dir || path.startsWith(prefix));
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
