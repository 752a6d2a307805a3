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
 * runc's own messages go to a JSON log file (`--log`), not to stderr, so a
 * failure of runc ("executable file not found") is told apart from the
 * process's output; runc then exits 255 and the log holds the reason.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { BerthError, errorMessage, isErrno } from '../kernel/index.js';
import { exitCodeOfStartFailure } from './exit.js';
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
  /** Settles once runc has exited and the process's stdio is closed. */
  readonly exited: Promise<ExecExit>;
}

/** runc exits with this when it fails before or while starting the process. */
const RUNC_FAILURE_STATUS = 255;

export function spawnExec(options: ExecOptions): ExecProcess {
  // prettier-ignore
  const args = [
    '--root', options.runcRoot,
    '--log', options.logFile,
    '--log-format', 'json',
    'exec',
    '--process', options.processFile,
    '--pid-file', options.pidFile,
    options.id,
  ];
  const child = spawn(options.runcPath ?? DEFAULT_RUNC_PATH, args, {
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ? 'pipe' : 'ignore', options.stderr ? 'pipe' : 'ignore'],
    // berthd's variables (NOTIFY_SOCKET, LISTEN_FDS, ...) must not reach runc.
    env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  // A process that exits without reading its stdin makes writes fail with EPIPE; that is not an error here.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<ExecExit>((resolve, reject) => {
    child.once('error', (e) =>
      reject(new BerthError('unavailable', `cannot run runc: ${errorMessage(e)}`, { cause: e })),
    );
    child.once('close', (code, signal) => {
      statusOf(code, signal, options.logFile).then(resolve, reject);
    });
  });
  return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited };
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
