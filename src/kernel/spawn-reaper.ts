/**
 * Reaps the children spawnFast started, without blocking a thread.
 *
 * libuv reaps only its own children (waitpid on each of its pids), so ours
 * are reaped the same way: on every SIGCHLD, waitpid(pid, WNOHANG) for each
 * child still pending. The signal listener does not hold the event loop
 * (Node unrefs signal handles); a timer does, and only while a child is
 * pending, so a running child keeps the process alive as child_process does.
 * Worker threads never see signal events, so there the timer polls.
 */
import { constants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { tryWait } from './spawn-libc.js';

export interface ExitStatus {
  /** The exit code, or null when a signal killed the child. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Waiter {
  resolve: (status: ExitStatus) => void;
  reject: (err: unknown) => void;
}

/** Longest delay a Node timer accepts: on the main thread the timer only holds the loop. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;
/** Poll period where SIGCHLD is not delivered (worker threads). */
const WORKER_POLL_MS = 20;

const pending = new Map<number, Waiter>();
let listening = false;
let keepAlive: NodeJS.Timeout | undefined;

/** Installs the SIGCHLD listener; call before spawning so no exit goes unnoticed. */
export function prepareReaper(): void {
  if (listening || !isMainThread) return;
  process.on('SIGCHLD', reapAll);
  listening = true;
}

/** Settles when `pid`, a child of ours not yet reaped, exits and has been reaped. */
export function watchChild(pid: number): Promise<ExitStatus> {
  const exited = new Promise<ExitStatus>((resolve, reject) => {
    pending.set(pid, { resolve, reject });
  });
  keepAlive ??= setInterval(reapAll, isMainThread ? KEEP_ALIVE_MS : WORKER_POLL_MS);
  reap(pid);
  return exited;
}

/** Sends `signal` to `pid` only while it is an unreaped child of ours, so a reused pid is never hit. */
export function signalChild(pid: number, signal: NodeJS.Signals): void {
  if (!pending.has(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH cannot happen to an unreaped child; anything else is not ours to report.
  }
}

function reapAll(): void {
  for (const pid of [...pending.keys()]) reap(pid);
}

function reap(pid: number): void {
  const waiter = pending.get(pid);
  if (waiter === undefined) return;
  let status: number | undefined;
  try {
    status = tryWait(pid);
    if (status === undefined) return;
  } catch (e: unknown) {
    forget(pid);
    waiter.reject(e);
    return;
  }
  forget(pid);
  waiter.resolve(decodeWaitStatus(status));
}

function forget(pid: number): void {
  pending.delete(pid);
  if (pending.size > 0 || keepAlive === undefined) return;
  clearInterval(keepAlive);
  keepAlive = undefined;
}

/** WIFEXITED/WEXITSTATUS/WTERMSIG from <sys/wait.h>; stop statuses never come without WUNTRACED. */
export function decodeWaitStatus(status: number): ExitStatus {
  const termsig = status & 0x7f;
  if (termsig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: signalName(termsig) };
}

let signalNames: Map<number, NodeJS.Signals> | undefined;

function signalName(signo: number): NodeJS.Signals {
  if (signalNames === undefined) {
    signalNames = new Map();
    // Aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO) follow their main name in
    // os.constants, so the first name seen wins.
    for (const [name, n] of Object.entries(constants.signals)) {
      if (!signalNames.has(n)) signalNames.set(n, name as NodeJS.Signals);
    }
  }
  // Real-time signals have no name in os.constants; report them as the number.
  return signalNames.get(signo) ?? (`SIG${signo}` as NodeJS.Signals);
}
