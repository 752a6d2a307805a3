/**
 * Child processes started with glibc's posix_spawn (clone with CLONE_VM |
 * CLONE_VFORK) instead of child_process.spawn. libuv fork()s, which copies
 * the whole page table of a large daemon and blocks the main thread for
 * 10-20 ms per call on a Firecracker VM; posix_spawn blocks it only until the
 * child has exec'd (well under a few ms).
 *
 * The child gets what libuv gives its children: an empty signal mask, every
 * signal at its default disposition (Node ignores SIGPIPE), stdio on pipes or
 * /dev/null, and no other fd (everything berth opens is close-on-exec).
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { Socket } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { invalidArgument, isErrno } from './errors.js';
import { closeFd, copyFdAbove, moveFdAbove, openPipe, posixSpawn, type ChildFd } from './spawn-libc.js';
import { prepareReaper, signalChild, watchChild, type ExitStatus } from './spawn-reaper.js';
import { syscallError } from './syscalls.js';

export type { ExitStatus } from './spawn-reaper.js';

export interface FastSpawnOptions {
  /** The child's whole environment (not merged with process.env). Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /**
   * stdin: 'ignore' (/dev/null, the default), 'pipe' (a Writable in `stdin`)
   * or an fd of ours the child gets a copy of (a pty's slave, say; the
   * caller keeps and closes its own).
   */
  stdin?: StdioMode;
  /** Default 'pipe'. */
  stdout?: StdioMode;
  /** Default 'pipe'. */
  stderr?: StdioMode;
  /** Extra pipes the child writes to: the child sees them at fd 3, 4, ... ; the parent reads `extra[i]`. */
  extraOutputs?: number;
  /** New session (POSIX_SPAWN_SETSID), as child_process's `detached: true`. */
  detached?: boolean;
  /** SIGKILL the child when aborted; `exited` still settles normally afterwards. */
  signal?: AbortSignal;
}

/** How one of the child's stdio fds is made: /dev/null, a new pipe, or a copy of an fd of ours. */
export type StdioMode = 'ignore' | 'pipe' | number;

export interface FastChild {
  readonly pid: number;
  /** Signals the child while it has not been reaped (a no-op after, so a reused pid is never hit). */
  kill(signal: NodeJS.Signals): void;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly extra: readonly Readable[];
  /** Settles when the child has exited and been reaped: code, or the signal that killed it. */
  readonly exited: Promise<ExitStatus>;
}

/** Where PATH lookup searches when the child's env has no PATH (execvp's default, plus sbin for root). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment of berth's helper processes (conmon, runc, the CNI
 * plugins): berthd's PATH, or the default one, and `extra`. Nothing else of
 * berthd's own environment (NOTIFY_SOCKET, LISTEN_FDS, ...) reaches them.
 */
export function helperEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? DEFAULT_PATH, ...extra };
}

/**
 * Starts `path` with argv `[path, ...args]`, as execFile does. A `path`
 * without '/' is looked up in the child env's PATH (absolute entries only:
 * a relative one would resolve against our cwd, not the child's).
 *
 * Throws synchronously a Node-style error (code ENOENT, EACCES, ENOEXEC...,
 * syscall 'posix_spawn', path) when the program cannot be run, and an
 * AbortError when `signal` is already aborted (nothing is started then).
 */
export function spawnFast(path: string, args: readonly string[], options: FastSpawnOptions = {}): FastChild {
  if (options.signal?.aborted === true) throw abortError(options.signal);
  const env = options.env ?? process.env;
  const argv = [path, ...args];
  const envp = envStrings(env);
  for (const s of [...argv, ...envp, options.cwd ?? '']) rejectNul(s);
  const file = resolveProgram(path, env.PATH);
  const plan = planFds(options);
  let pid: number;
  try {
    prepareReaper();
    pid = posixSpawn({ file, argv, envp, fds: plan.childFds, cwd: options.cwd, setsid: options.detached === true });
  } catch (e: unknown) {
    plan.parentEnds.forEach((fd) => fd !== undefined && closeFd(fd));
    throw explainCwd(e, options.cwd);
  } finally {
    plan.childEnds.forEach(closeFd);
  }
  return startedChild(pid, plan.parentEnds, options.signal);
}

function startedChild(pid: number, ends: ReadonlyArray<number | undefined>, signal?: AbortSignal): FastChild {
  const [stdin, stdout, stderr, ...extra] = ends;
  const reader = (fd: number | undefined): Readable | null =>
    fd === undefined ? null : new Socket({ fd, readable: true, writable: false });
  const onAbort = (): void => signalChild(pid, 'SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  const exited = watchChild(pid).finally(() => signal?.removeEventListener('abort', onAbort));
  return {
    pid,
    stdin: stdin === undefined ? null : new Socket({ fd: stdin, readable: false, writable: true }),
    stdout: reader(stdout),
    stderr: reader(stderr),
    extra: extra.map((fd) => reader(fd) as Readable),
    kill: (sig) => signalChild(pid, sig),
    exited,
  };
}

interface FdPlan {
  /** Entry i becomes the child's fd i. */
  childFds: ChildFd[];
  /** Pipe ends the child uses; the parent closes them once the child has them. */
  childEnds: number[];
  /** Entry i is the parent's end of the child's fd i, or undefined for /dev/null. */
  parentEnds: Array<number | undefined>;
}

/** Opens the pipes; on failure closes what it opened, so no fd leaks. */
function planFds(options: FastSpawnOptions): FdPlan {
  const extra = options.extraOutputs ?? 0;
  if (!Number.isInteger(extra) || extra < 0) throw invalidArgument(`extraOutputs must be a whole number, not ${extra}`);
  const modes = [options.stdin ?? 'ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'];
  for (let i = 0; i < extra; i++) modes.push('pipe');
  const plan: FdPlan = { childFds: [], childEnds: [], parentEnds: [] };
  try {
    modes.forEach((mode, target) => addFd(plan, mode, target === 0, modes.length));
  } catch (e: unknown) {
    [...plan.childEnds, ...plan.parentEnds].forEach((fd) => fd !== undefined && closeFd(fd));
    throw e;
  }
  return plan;
}

function addFd(plan: FdPlan, mode: StdioMode, isInput: boolean, count: number): void {
  if (typeof mode === 'number') {
    // A copy above the child's fd range, so no dup2 onto 0, 1, 2 overwrites
    // a source still needed; ours stays open for the caller.
    const copy = copyFdAbove(mode, count);
    plan.childEnds.push(copy);
    plan.childFds.push({ dup: copy });
    plan.parentEnds.push(undefined);
    return;
  }
  if (mode === 'ignore') {
    plan.childFds.push({ devNull: isInput ? 'read' : 'write' });
    plan.parentEnds.push(undefined);
    return;
  }
  const [readEnd, writeEnd] = openPipe();
  const [childEnd, parentEnd] = isInput ? [readEnd, writeEnd] : [writeEnd, readEnd];
  plan.parentEnds.push(parentEnd);
  plan.childEnds.push(childEnd);
  const moved = moveFdAbove(childEnd, count);
  plan.childEnds[plan.childEnds.length - 1] = moved;
  plan.childFds.push({ dup: moved });
}

function envStrings(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key === '' || key.includes('=')) throw invalidArgument(`invalid environment variable name: ${key}`);
    out.push(`${key}=${value}`);
  }
  return out;
}

/** C strings end at NUL, so one inside an argument would silently cut it. */
function rejectNul(s: string): void {
  if (s.includes('\0')) throw invalidArgument(`argument contains a NUL byte: ${JSON.stringify(s)}`);
}

function resolveProgram(path: string, searchPath: string | undefined): string {
  if (path.includes('/')) return path;
  for (const dir of (searchPath ?? DEFAULT_PATH).split(':')) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, path);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw syscallError('posix_spawn', path, osConstants.errno.ENOENT);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** posix_spawn reports a missing cwd as ENOENT on the program; name the real culprit. */
function explainCwd(e: unknown, cwd: string | undefined): unknown {
  if (cwd === undefined || !isErrno(e, 'ENOENT')) return e;
  try {
    statSync(cwd);
    return e;
  } catch {
    const err = syscallError('posix_spawn', cwd, osConstants.errno.ENOENT);
    err.message = `${err.message} (the cwd of ${JSON.stringify((e as NodeJS.ErrnoException).path)})`;
    return err;
  }
}

/** An error shaped like Node's own AbortError (name 'AbortError', code 'ABORT_ERR'). */
export function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason });
  err.name = 'AbortError';
  (err as NodeJS.ErrnoException).code = 'ABORT_ERR';
  return err;
}
