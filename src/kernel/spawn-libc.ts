/**
 * glibc's posix_spawn family and the few calls around it (pipe2, close,
 * fcntl, waitpid), bound through koffi on first use. The opaque glibc structs
 * (posix_spawnattr_t, posix_spawn_file_actions_t, sigset_t) live in Buffers
 * larger than their x86_64/aarch64 sizes (336, 80 and 128 bytes) and are
 * handed over as plain pointers.
 */
import koffi from 'koffi';
import { BerthError } from './errors.js';
import { loadLibc, syscallError } from './syscalls.js';

/** posix_spawnattr_setflags bits berth uses (values from <spawn.h>). */
const SpawnFlags = {
  SETSIGDEF: 0x04,
  SETSIGMASK: 0x08,
  SETSID: 0x80,
} as const;

/** Generous upper bounds of the glibc struct sizes, see the header comment. */
const ATTR_SIZE = 512;
const FILE_ACTIONS_SIZE = 256;
const SIGSET_SIZE = 256;

/** O_CLOEXEC and the open(2) flags for /dev/null (<fcntl.h>, same on x86_64 and aarch64). */
const O_CLOEXEC = 0o2000000;
const O_RDONLY = 0;
const O_WRONLY = 1;
const F_DUPFD_CLOEXEC = 1030;
const WNOHANG = 1;
const EINTR = 4;

type LibcFn = (...args: unknown[]) => number;

interface SpawnLibc {
  posixSpawn: LibcFn;
  faInit: LibcFn;
  faAddDup2: LibcFn;
  faAddOpen: LibcFn;
  /** Absent before glibc 2.29. */
  faAddChdir: LibcFn | undefined;
  faDestroy: LibcFn;
  attrInit: LibcFn;
  attrSetFlags: LibcFn;
  attrSetSigmask: LibcFn;
  attrSetSigdefault: LibcFn;
  attrDestroy: LibcFn;
  sigemptyset: LibcFn;
  sigfillset: LibcFn;
  pipe2: LibcFn;
  close: LibcFn;
  fcntl: LibcFn;
  waitpid: LibcFn;
}

let bound: SpawnLibc | undefined;

function lib(): SpawnLibc {
  if (bound !== undefined) return bound;
  const l = loadLibc();
  bound = {
    posixSpawn: l.func(
      'int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)',
    ),
    faInit: l.func('int posix_spawn_file_actions_init(void *fa)'),
    faAddDup2: l.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
    faAddOpen: l.func(
      'int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, uint32_t mode)',
    ),
    faAddChdir: optional(() => l.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)')),
    faDestroy: l.func('int posix_spawn_file_actions_destroy(void *fa)'),
    attrInit: l.func('int posix_spawnattr_init(void *attr)'),
    attrSetFlags: l.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrSetSigmask: l.func('int posix_spawnattr_setsigmask(void *attr, const void *mask)'),
    attrSetSigdefault: l.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
    attrDestroy: l.func('int posix_spawnattr_destroy(void *attr)'),
    sigemptyset: l.func('int sigemptyset(void *set)'),
    sigfillset: l.func('int sigfillset(void *set)'),
    pipe2: l.func('int pipe2(int *fds, int flags)'),
    close: l.func('int close(int fd)'),
    fcntl: l.func('int fcntl(int fd, int cmd, ...)'),
    waitpid: l.func('int waitpid(int pid, _Out_ int *status, int options)'),
  };
  return bound;
}

function optional(bind: () => LibcFn): LibcFn | undefined {
  try {
    return bind();
  } catch {
    return undefined;
  }
}

/** posix_spawn* return an errno number instead of setting errno. */
function checkReturn(rc: number, syscall: string, path?: string): void {
  if (rc !== 0) throw syscallError(syscall, path, rc);
}

/** A pipe whose both ends are close-on-exec: [read end, write end]. */
export function openPipe(): [number, number] {
  const fds = new Int32Array(2);
  if (lib().pipe2(fds, O_CLOEXEC) < 0) throw syscallError('pipe2');
  return [fds[0] ?? -1, fds[1] ?? -1];
}

/**
 * A close-on-exec duplicate of `fd` numbered at least `min`, replacing `fd`.
 * The child's dup2 onto 0..n-1 must not overwrite a source it still needs.
 */
export function moveFdAbove(fd: number, min: number): number {
  if (fd >= min) return fd;
  const moved = copyFdAbove(fd, min);
  closeFd(fd);
  return moved;
}

/** A new close-on-exec fd numbered `min` or above, sharing `fd`'s open file; `fd` stays open. */
export function copyFdAbove(fd: number, min: number): number {
  const copy = lib().fcntl(fd, F_DUPFD_CLOEXEC, 'int', min);
  if (copy < 0) throw syscallError('fcntl');
  return copy;
}

/** close(2), ignoring errors: it is only ever called on fds this module opened. */
export function closeFd(fd: number): void {
  lib().close(fd);
}

/** How one fd of the child is set up: a dup of a parent fd, or /dev/null. */
export type ChildFd = { dup: number } | { devNull: 'read' | 'write' };

export interface SpawnRequest {
  file: string;
  argv: readonly string[];
  envp: readonly string[];
  /** Entry i becomes the child's fd i. Every `dup` source must be >= fds.length. */
  fds: readonly ChildFd[];
  cwd?: string;
  setsid: boolean;
}

/** posix_spawn with an empty signal mask and every signal's default disposition, as libuv does. */
export function posixSpawn(req: SpawnRequest): number {
  const l = lib();
  const fa = Buffer.alloc(FILE_ACTIONS_SIZE);
  const attr = Buffer.alloc(ATTR_SIZE);
  checkReturn(l.faInit(fa), 'posix_spawn_file_actions_init');
  try {
    checkReturn(l.attrInit(attr), 'posix_spawnattr_init');
    try {
      addFileActions(fa, req);
      setAttributes(attr, req.setsid);
      const pid = [0];
      const argv = [...req.argv, null];
      const envp = [...req.envp, null];
      checkReturn(l.posixSpawn(pid, req.file, fa, attr, argv, envp), 'posix_spawn', req.file);
      return pid[0] ?? -1;
    } finally {
      l.attrDestroy(attr);
    }
  } finally {
    l.faDestroy(fa);
  }
}

function addFileActions(fa: Buffer, req: SpawnRequest): void {
  const l = lib();
  req.fds.forEach((fd, target) => {
    const rc =
      'dup' in fd
        ? l.faAddDup2(fa, fd.dup, target)
        : l.faAddOpen(fa, target, '/dev/null', fd.devNull === 'read' ? O_RDONLY : O_WRONLY, 0);
    checkReturn(rc, 'posix_spawn_file_actions_add');
  });
  if (req.cwd === undefined) return;
  if (l.faAddChdir === undefined) {
    throw new BerthError(
      'not-implemented',
      'spawnFast: cwd needs posix_spawn_file_actions_addchdir_np (glibc >= 2.29), which this libc lacks',
    );
  }
  checkReturn(l.faAddChdir(fa, req.cwd), 'posix_spawn_file_actions_addchdir_np', req.cwd);
}

function setAttributes(attr: Buffer, setsid: boolean): void {
  const l = lib();
  // Node ignores SIGPIPE and an ignored disposition survives exec, so every
  // signal is reset explicitly; the mask is emptied for the same reason.
  const empty = Buffer.alloc(SIGSET_SIZE);
  const all = Buffer.alloc(SIGSET_SIZE);
  l.sigemptyset(empty);
  l.sigfillset(all);
  checkReturn(l.attrSetSigmask(attr, empty), 'posix_spawnattr_setsigmask');
  checkReturn(l.attrSetSigdefault(attr, all), 'posix_spawnattr_setsigdefault');
  let flags = SpawnFlags.SETSIGMASK | SpawnFlags.SETSIGDEF;
  if (setsid) flags |= SpawnFlags.SETSID;
  checkReturn(l.attrSetFlags(attr, flags), 'posix_spawnattr_setflags');
}

/** waitpid(pid, WNOHANG): the raw status once the child has exited, else undefined. */
export function tryWait(pid: number): number | undefined {
  const status = [0];
  for (;;) {
    const rc = lib().waitpid(pid, status, WNOHANG);
    if (rc === pid) return status[0] ?? 0;
    if (rc === 0) return undefined;
    const errno = koffi.errno();
    if (errno !== EINTR) throw syscallError('waitpid', undefined, errno);
  }
}
