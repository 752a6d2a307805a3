/**
 * Running a process in a running container with `runc exec`, spawned by
 * berthd itself with pipes for stdio. runc stays the process's parent,
 * passes it its own stdin/stdout/stderr and exits with its status.
 *
 * Unlike a container's init (conmon, conmon.ts), such an exec is tied to
 * berthd: if berthd dies, its pipes break and nobody records the exit. That
 * is accepted for now; moving execs under conmon (`conmon --exec`) is the way
 * to make them survive.
 *
 * With a TTY runc's stdio is instead the slave end of a pty berthd opens
 * (exec-terminal.ts), and the process's terminal is one stream, the master.
 *
 * runc's own messages go to a JSON log file (`--log`), not to stderr, so a
 * failure of runc ("executable file not found") is told apart from the
 * process's output; runc then exits 255 and the log holds the reason.
 */
import { closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import {
  BerthError,
  errorMessage,
  helperEnv,
  isErrno,
  spawnFast,
  type FastChild,
  type StdioMode,
} from '../kernel/index.js';
import { exitCodeOfStartFailure } from './exit.js';
import type { TerminalSize } from './attach-resize.js';
import { masterStream, openPtyPair, setWindowSize } from './exec-terminal.js';
import { runcErrorMessage } from './runc-error.js';
import { DEFAULT_RUNC_PATH, type RuncOptions } from './runc.js';

export interface ExecOptions extends RuncOptions {
  /** The container's ID. */
  id: string;
  /** The OCI process as JSON (see `buildExecProcess`). */
  processFile: string;
  /** runc writes the process's host pid here. */
  pidFile: string;
  /** runc's own log (JSON lines). */
  logFile: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** The process has a terminal (process.json has `terminal: true`); stdout then carries its output and stderr is unused. */
  tty?: boolean;
  /** The terminal's size from the start: runc copies it into the container's terminal as it starts. */
  initialSize?: TerminalSize;
}

/** How an exec ended. */
export interface ExecExit {
  /** The process's status (128 + signal when killed); 126/127 when runc could not start it. */
  code: number;
  /** runc's reason when it failed to start the process. */
  runtimeError?: string;
}

export interface ExecProcess {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** With a TTY: sets the terminal's window size (the process gets SIGWINCH); otherwise absent. */
  readonly resize?: (size: TerminalSize) => void;
  /** Settles once runc has exited and the process's stdio is closed. */
  readonly exited: Promise<ExecExit>;
}

/** runc exits with this when it fails before or while starting the process. */
const RUNC_FAILURE_STATUS = 255;

export function spawnExec(options: ExecOptions): ExecProcess {
  return options.tty === true ? spawnWithTerminal(options) : spawnWithPipes(options);
}

function runcArgs(options: ExecOptions): string[] {
  // prettier-ignore
  return [
    '--root', options.runcRoot,
    '--log', options.logFile,
    '--log-format', 'json',
    'exec',
    '--process', options.processFile,
    '--pid-file', options.pidFile,
    options.id,
  ];
}

function spawnRunc(options: ExecOptions, stdio: [StdioMode, StdioMode, StdioMode]): FastChild {
  try {
    return spawnFast(options.runcPath ?? DEFAULT_RUNC_PATH, runcArgs(options), {
      stdin: stdio[0],
      stdout: stdio[1],
      stderr: stdio[2],
      // berthd's variables (NOTIFY_SOCKET, LISTEN_FDS, ...) must not reach runc.
      env: helperEnv(),
    });
  } catch (e: unknown) {
    throw new BerthError('unavailable', `cannot run runc: ${errorMessage(e)}`, { cause: e });
  }
}

function spawnWithPipes(options: ExecOptions): ExecProcess {
  const child = spawnRunc(options, [
    options.stdin ? 'pipe' : 'ignore',
    options.stdout ? 'pipe' : 'ignore',
    options.stderr ? 'pipe' : 'ignore',
  ]);
  // A process that exits without reading its stdin makes writes fail with EPIPE; that is not an error here.
  child.stdin?.on('error', () => undefined);
  return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited: exitOf(child, options.logFile) };
}

function spawnWithTerminal(options: ExecOptions): ExecProcess {
  const { master, slave } = openPtyPair();
  // Set before runc starts, so no SIGWINCH has to race the process's first ioctls.
  if (options.initialSize) setWindowSize(master, options.initialSize);
  let child: FastChild;
  try {
    child = spawnRunc(options, [slave, slave, slave]);
  } catch (e: unknown) {
    closeSync(master);
    throw e;
  } finally {
    // Only runc may hold the slave: its exit then ends the master's output.
    closeSync(slave);
  }
  const terminal = masterStream(master);
  // Unread output would fill the pty and stall the process.
  if (!options.stdout) terminal.resume();
  const resize = (size: TerminalSize): void => {
    if (terminal.destroyed) return;
    setWindowSize(master, size);
    // runc copies its own terminal's size to the container's on SIGWINCH.
    child.kill('SIGWINCH');
  };
  return {
    stdin: options.stdin ? terminal : null,
    stdout: terminal,
    stderr: null,
    resize,
    exited: exitOf(child, options.logFile),
  };
}

/** runc's status once it has exited and its pipes have closed (their last output read). */
async function exitOf(child: FastChild, logFile: string): Promise<ExecExit> {
  const [{ code, signal }] = await Promise.all([child.exited, closed(child.stdout), closed(child.stderr)]);
  return statusOf(code, signal, logFile);
}

function closed(stream: Readable | null): Promise<void> {
  if (stream === null || stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

async function statusOf(code: number | null, signal: NodeJS.Signals | null, logFile: string): Promise<ExecExit> {
  if (code === null) return { code: 128 + (signal === null ? 0 : constants.signals[signal]) };
  if (code !== RUNC_FAILURE_STATUS) return { code };
  const reason = runcErrorMessage(await readOptional(logFile));
  // No error logged: the process itself exited 255.
  if (reason === '') return { code };
  return { code: exitCodeOfStartFailure(reason) ?? 126, runtimeError: reason };
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return '';
    throw e;
  }
}

/** The host pid runc recorded for the exec'd process; undefined before it started. */
export async function readExecPid(pidFile: string): Promise<number | undefined> {
  const text = await readOptional(pidFile);
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
