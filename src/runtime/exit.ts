/**
 * Exit status of a container as conmon records it: when the container's init
 * ends, conmon drains its output into the log, then writes `<exitDir>/<id>`
 * atomically (write to a temporary name, rename) holding the status as
 * decimal text. A normal exit is its code (0–255); death by a signal is
 * 128 + the signal number (SIGKILL → 137), which is exactly what Docker
 * reports; -1 means conmon could not tell.
 *
 * Because the file appears only after the log is complete, "exit file exists"
 * also means "the log has every line".
 */
import { watch, type FSWatcher } from 'node:fs';
import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, isErrno } from '../kernel/index.js';

function exitFilePath(exitDir: string, id: string): string {
  return join(exitDir, id);
}

/** The recorded exit status, or undefined while the container has not exited. */
export async function readExitCode(exitDir: string, id: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(exitFilePath(exitDir, id), 'utf8');
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
  const code = Number.parseInt(text.trim(), 10);
  if (!Number.isSafeInteger(code))
    throw new BerthError('internal', `invalid exit file for ${id}: ${JSON.stringify(text)}`);
  return code;
}

/** Forgets a recorded exit (before a restart, or when the container is removed). */
export async function removeExitFile(exitDir: string, id: string): Promise<void> {
  await rm(exitFilePath(exitDir, id), { force: true });
}

export interface WaitForExitOptions {
  signal?: AbortSignal;
  /**
   * The container's conmon. If it dies without writing the exit file (it was
   * killed), waiting fails instead of hanging forever.
   */
  conmonPid?: number;
  /** How often to look again in case a watch event is missed (inotify overflow, NFS). */
  pollMs?: number;
}

/** Resolves with the exit status once conmon records it. */
export async function waitForExit(exitDir: string, id: string, options: WaitForExitOptions = {}): Promise<number> {
  options.signal?.throwIfAborted();
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let watcher: FSWatcher | undefined;
    const finish = (err: Error | undefined, code?: number): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else resolve(code ?? -1);
    };
    const check = (): void => {
      if (settled || checking) return;
      checking = true;
      lookOnce(exitDir, id, options.conmonPid).then(
        (code) => {
          checking = false;
          if (code !== undefined) finish(undefined, code);
        },
        (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
      );
    };
    const onAbort = (): void =>
      finish(new BerthError('canceled', `wait for container ${id} canceled`, { cause: options.signal?.reason }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setInterval(check, options.pollMs ?? 1000);
    try {
      watcher = watch(exitDir, (_event, name) => {
        if (name === null || name === id) check();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // No watch (ENOSPC for inotify watches, say): the poll still finds the file.
    }
    // Looked at only after the watch is in place, so an exit in between is not missed.
    check();
  });
}

async function lookOnce(exitDir: string, id: string, conmonPid: number | undefined): Promise<number | undefined> {
  const code = await readExitCode(exitDir, id);
  if (code !== undefined || conmonPid === undefined || isAlive(conmonPid)) return code;
  // conmon writes the file before it exits: look once more to close that race.
  const late = await readExitCode(exitDir, id);
  if (late !== undefined) return late;
  throw new BerthError(
    'internal',
    `conmon (pid ${conmonPid}) of container ${id} exited without recording an exit status`,
  );
}

/** Whether process `pid` exists (a zombie counts: it has not been reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    return !isErrno(e, 'ESRCH');
  }
}

/**
 * The exit code Docker's CLI gives `docker run` when the runtime refuses to
 * start the command (DESIGN.md §8): 127 for a command that is not there, 126
 * for one that cannot be executed; undefined for any other failure (125).
 */
/** Whether conmon saw the OOM killer end the container (it writes `<persist-dir>/oom`). */
export async function wasOomKilled(bundle: string): Promise<boolean> {
  try {
    await access(join(bundle, 'oom'));
    return true;
  } catch {
    return false;
  }
}

/** Forgets an OOM kill of an earlier run, before the container starts again. */
export async function clearOomKilled(bundle: string): Promise<void> {
  await rm(join(bundle, 'oom'), { force: true });
}

export function exitCodeOfStartFailure(message: string): 126 | 127 | undefined {
  if (/executable file not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return undefined;
}
