import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { spawnExec, type ExecExit, type TerminalSize } from '../runtime/index.js';
import type { Api } from '../spec/index.js';

/** What `docker exec` asked for (the Engine API's ExecConfig), with defaults applied. */
export interface ExecConfig {
  cmd: string[];
  env: string[];
  user: string;
  workingDir: string;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  privileged: boolean;
  detachKeys: string;
}

export function execConfigOf(body: Api.ContainerExecBody): ExecConfig {
  return {
    cmd: body.Cmd ?? [],
    env: body.Env ?? [],
    user: body.User ?? '',
    workingDir: body.WorkingDir ?? '',
    tty: body.Tty === true,
    attachStdin: body.AttachStdin === true,
    attachStdout: body.AttachStdout === true,
    attachStderr: body.AttachStderr === true,
    privileged: body.Privileged === true,
    detachKeys: body.DetachKeys ?? '',
  };
}

/** An exec's lifecycle: created → running → exited; it runs at most once. */
export type ExecStatus = 'created' | 'running' | 'exited';

/** One exec instance as the service keeps it (in memory, as Docker does). */
export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  status: ExecStatus;
  /** Set once it exited. */
  exitCode?: number;
  /** `<exec-root>/exec/<id>`: process.json, runc's log and pid file while it runs. */
  dir: string;
  /** With a TTY: the last size asked for, applied once the terminal exists. */
  size?: TerminalSize;
  /** With a TTY, while it runs: resizes its terminal. */
  resize?: (size: TerminalSize) => void;
}

/** Where an attached exec's streams go; absent ones are not attached. */
export interface ExecIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

export interface RunExecOptions {
  runcRoot: string;
  containerId: string;
  processFile: string;
  pidFile: string;
  logFile: string;
  /** With a TTY: the size asked for before the start. */
  initialSize?: TerminalSize;
  /** With a TTY: called once the terminal exists, with its resize function. */
  onTerminal?: (resize: (size: TerminalSize) => void) => void;
}

/**
 * Runs the prepared process and copies its streams: output into the
 * writables (which are not ended: the caller owns them), the readable into
 * its stdin, whose end closes the process's stdin (a client's half-close).
 * With a TTY, output and input are the terminal's, unframed.
 */
export async function runExecProcess(config: ExecConfig, io: ExecIO, options: RunExecOptions): Promise<ExecExit> {
  const stdin = config.attachStdin ? io.stdin : undefined;
  const stdout = config.attachStdout ? io.stdout : undefined;
  const stderr = config.attachStderr ? io.stderr : undefined;
  const proc = spawnExec({
    id: options.containerId,
    runcRoot: options.runcRoot,
    processFile: options.processFile,
    pidFile: options.pidFile,
    logFile: options.logFile,
    stdin: stdin !== undefined,
    stdout: stdout !== undefined,
    stderr: stderr !== undefined,
    tty: config.tty,
    ...(options.initialSize ? { initialSize: options.initialSize } : {}),
  });
  if (proc.resize !== undefined) options.onTerminal?.(proc.resize);
  // A terminal has no half-close: the client's end of input must not close it.
  if (stdin && proc.stdin) stdin.pipe(proc.stdin, { end: !config.tty });
  const copies = [copy(proc.stdout, stdout), copy(proc.stderr, stderr)];
  try {
    const exit = await proc.exited;
    await Promise.all(copies);
    return exit;
  } finally {
    if (stdin && proc.stdin) stdin.unpipe(proc.stdin);
  }
}

async function copy(from: Readable | null, to: Writable | undefined): Promise<void> {
  if (from === null || to === undefined) return;
  from.pipe(to, { end: false });
  // A terminal's output closes (EIO) rather than ends; either way the copy is over.
  await finished(from, { writable: false }).catch(() => undefined);
}
