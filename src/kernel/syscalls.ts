/**
 * The few Linux system calls Node does not offer (device nodes, extended
 * attributes, mounts), bound through koffi to glibc. libc is loaded on first
 * use, not at import, so modules that never call these pay nothing.
 *
 * Every call is synchronous: each is a single short system call, and koffi
 * reads errno on the calling thread right after it. Failures throw errors
 * shaped like Node's own (`code` = errno name, negative `errno`, `syscall`,
 * `path`), so `isErrno(e, 'ENOENT')` works on them.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

/** mount(2) flags berth uses (values from <sys/mount.h>). */
export const MountFlags = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  REMOUNT: 0x20,
  BIND: 0x1000,
  REC: 0x4000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
} as const;

/** umount2(2) flags (values from <sys/mount.h>). */
const { ERANGE, ENODATA } = constants.errno;

type SyscallFn = ((...args: unknown[]) => number | bigint) & {
  /** koffi's asynchronous form: runs the call on a libuv pool thread, then calls back with its result. */
  async: (...args: unknown[]) => void;
};

interface Libc {
  mknod: SyscallFn;
  lsetxattr: SyscallFn;
  lgetxattr: SyscallFn;
  llistxattr: SyscallFn;
  mount: SyscallFn;
  umount2: SyscallFn;
  flock: SyscallFn;
}

let libcHandle: LibraryHandle | undefined;

/** glibc, loaded once for every module that binds a call koffi-side. */
export function loadLibc(): LibraryHandle {
  libcHandle ??= koffi.load('libc.so.6');
  return libcHandle;
}

let libc: Libc | undefined;

function lib(): Libc {
  if (libc !== undefined) return libc;
  const l = loadLibc();
  // mode_t is 32-bit and dev_t 64-bit on every glibc Linux target; ssize_t is
  // pointer-sized, hence intptr_t.
  libc = {
    mknod: l.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: l.func('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
    lgetxattr: l.func('intptr_t lgetxattr(const char *path, const char *name, void *value, size_t size)'),
    llistxattr: l.func('intptr_t llistxattr(const char *path, void *list, size_t size)'),
    mount: l.func(
      'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
    ),
    umount2: l.func('int umount2(const char *target, int flags)'),
    flock: l.func('int flock(int fd, int operation)'),
  };
  return libc;
}

/** A Node-style system error for the errno left by the last koffi call (or the one given). */
export function syscallError(syscall: string, path?: string, errno = koffi.errno()): NodeJS.ErrnoException {
  const [code, description] = getSystemErrorMap().get(-errno) ?? unmappedErrno(errno);
  const where = path === undefined ? syscall : `${syscall} '${path}'`;
  const err: NodeJS.ErrnoException = new Error(`${code}: ${description}, ${where}`);
  err.code = code;
  err.errno = -errno;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err;
}

let strerror: ((errno: number) => string) | undefined;

/** libuv's error map lacks some errnos (ENOEXEC among them); name those from os.constants and strerror. */
function unmappedErrno(errno: number): [string, string] {
  const name = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `E${errno}`;
  strerror ??= loadLibc().func('const char *strerror(int errnum)') as (n: number) => string;
  return [name, strerror(errno).toLowerCase()];
}

function check(result: number | bigint, syscall: string, path: string): number {
  const n = Number(result);
  if (n < 0) throw syscallError(syscall, path);
  return n;
}

/**
 * glibc's dev_t encoding (gnu_dev_makedev): the low 8 bits of minor, then 12
 * bits of major, then the high bits of minor, then the high bits of major.
 */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffn) << 8n) | ((ma & 0xfffff000n) << 32n) | (mi & 0xffn) | ((mi & 0xffffff00n) << 12n);
}

/** mknod(2): `mode` carries the file type (fs.constants.S_IFCHR, ...) and permission bits. */
export function mknod(path: string, mode: number, dev: bigint = 0n): void {
  check(lib().mknod(path, mode, dev), 'mknod', path);
}

/** lsetxattr(2) with flags 0 (create or replace); never follows a final symlink. */
export function lsetxattr(path: string, name: string, value: Uint8Array): void {
  check(lib().lsetxattr(path, name, value, value.byteLength, 0), 'lsetxattr', path);
}

/** lgetxattr(2): the attribute's value, or undefined when the file does not have it (ENODATA). */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  // Size first, then read; the value can grow in between, so retry on ERANGE.
  for (;;) {
    const size = Number(lib().lgetxattr(path, name, null, 0));
    if (size < 0) return absentOrThrow('lgetxattr', path);
    const buf = Buffer.alloc(size);
    const got = Number(lib().lgetxattr(path, name, buf, size));
    if (got >= 0) return buf.subarray(0, got);
    const errno = koffi.errno();
    if (errno !== ERANGE) return absentOrThrow('lgetxattr', path, errno);
  }
}

/** llistxattr(2): the names of the attributes the caller may see on the file itself. */
export function llistxattr(path: string): string[] {
  for (;;) {
    const size = check(lib().llistxattr(path, null, 0), 'llistxattr', path);
    if (size === 0) return [];
    const buf = Buffer.alloc(size);
    const got = Number(lib().llistxattr(path, buf, size));
    if (got >= 0) return splitNames(buf.subarray(0, got));
    const errno = koffi.errno();
    if (errno !== ERANGE) throw syscallError('llistxattr', path, errno);
  }
}

/** mount(2). `data` is the filesystem's option string (e.g. overlay's lowerdir=...). */
export function mount(source: string, target: string, fstype: string | null, flags: number, data?: string): void {
  check(lib().mount(source, target, fstype, flags, data ?? null), 'mount', target);
}

/** umount2(2); `flags` as in umount2(2) (MNT_FORCE 1, MNT_DETACH 2). */
export function umount2(target: string, flags = 0): void {
  check(lib().umount2(target, flags), 'umount2', target);
}

/** umount2(2) on a libuv pool thread, for unmounts that may wait on the disk. */
export function umount2Async(target: string, flags = 0): Promise<void> {
  return onPoolThread(lib().umount2, [target, flags], 'umount2', target);
}

/** flock(2)'s LOCK_EX: an exclusive lock, waited for. */
const LOCK_EX = 2;

/** flock(fd, LOCK_EX) on a libuv pool thread (it waits for the holder); closing the fd releases it. */
export function lockExclusive(fd: number): Promise<void> {
  return onPoolThread(lib().flock, [fd, LOCK_EX], 'flock');
}

/** flock(2)'s LOCK_NB: fail at once instead of waiting for the holder. */
const LOCK_NB = 4;

/** flock(fd, LOCK_EX | LOCK_NB): false when another open file holds the lock. */
export function tryLockExclusive(fd: number, path: string): boolean {
  try {
    check(lib().flock(fd, LOCK_EX | LOCK_NB), 'flock', path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
    throw e;
  }
}

/** A call that may block, made through koffi's async form (koffi keeps errno per call). */
function onPoolThread(fn: SyscallFn, args: unknown[], syscall: string, path?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: Error | null, result: number) => {
      if (err) return reject(err);
      if (result < 0) return reject(syscallError(syscall, path));
      resolve();
    });
  });
}

function absentOrThrow(syscall: string, path: string, errno = koffi.errno()): undefined {
  if (errno === ENODATA) return undefined;
  throw syscallError(syscall, path, errno);
}

function splitNames(list: Buffer): string[] {
  return list
    .toString('utf8')
    .split('\0')
    .filter((name) => name.length > 0);
}
