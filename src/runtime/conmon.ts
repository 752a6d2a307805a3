/**
 * Creating a container under conmon, the per-container monitor (DESIGN.md §2).
 *
 * conmon runs `runc create` as its own child, holds the container's stdio,
 * writes the k8s-file log, serves the attach socket, and writes
 * `<exitDir>/<id>` with the exit status when the container ends. It forks
 * itself into a new session, so it — and the container — outlive berthd.
 *
 * After `createContainer` the container is in runc's "created" state: its
 * namespaces exist and the user process waits for `startContainer` (runc.ts).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BerthError, errorMessage, helperEnv, isErrno, spawnFast, type FastChild } from '../kernel/index.js';
import { conmonArgs, CONMON_PIDFILE, type ConmonArgsOptions } from './conmon-args.js';
import { parseSyncMessage, readSyncLine } from './conmon-sync.js';
import { deleteContainer } from './runc.js';

/** Debian's conmon. */
export const DEFAULT_CONMON_PATH = '/usr/bin/conmon';

export interface CreateContainerOptions extends ConmonArgsOptions {
  conmonPath?: string;
  signal?: AbortSignal;
}

export interface CreatedContainer {
  /** The container's init process on the host. */
  pid: number;
  /** The long-lived conmon monitoring it (not the short-lived process berth spawned). */
  conmonPid: number;
}

/** The sync pipe's number in conmon: the first of spawnFast's extra outputs. */
const SYNC_FD = 3;

/**
 * Starts conmon for the bundle and waits until runc has created the container.
 * Rejects with runc's own message when the runtime fails (e.g. `exec: "x":
 * executable file not found in $PATH`), so callers can map it to Docker's
 * 127/126 exit codes (see `exitCodeOfStartFailure`).
 */
export async function createContainer(options: CreateContainerOptions): Promise<CreatedContainer> {
  options.signal?.throwIfAborted();
  let child: FastChild;
  try {
    child = spawnFast(options.conmonPath ?? DEFAULT_CONMON_PATH, conmonArgs(options), {
      detached: true,
      // conmon writes its `oom` marker into its working directory as well as the persist dir.
      cwd: options.bundle,
      stdout: 'ignore',
      stderr: 'pipe',
      // The sync pipe: conmon finds it by number in the environment.
      extraOutputs: 1,
      // conmon hands its environment to runc: berthd's own must not reach either.
      env: helperEnv({ _OCI_SYNCPIPE: String(SYNC_FD) }),
    });
  } catch (e: unknown) {
    throw new BerthError('unavailable', `cannot run conmon: ${errorMessage(e)}`, { cause: e });
  }
  try {
    const pid = await awaitCreated(child, options);
    const conmonPid = await readConmonPid(options.bundle);
    return { pid, conmonPid };
  } catch (e: unknown) {
    await cleanUpFailedCreate(options);
    throw e;
  } finally {
    for (const stream of [child.stderr, ...child.extra]) stream?.destroy();
  }
}

async function awaitCreated(child: FastChild, options: CreateContainerOptions): Promise<number> {
  const sync = child.extra[0]!;
  const stderr = collect(child.stderr);
  const line = await abortable(readSyncLine(sync), options.signal, () => killConmon(options.bundle));
  const message = line === undefined ? undefined : parseSyncMessage(line);
  if (message?.ok === true) return message.pid;
  if (message !== undefined) throw createFailure(message.message);
  const text = (await stderr()).trim();
  throw new BerthError('internal', `conmon exited without reporting: ${text || 'no output'}`);
}

/** Docker's wording for a runtime that refused to create the container. */
function createFailure(runcMessage: string): BerthError {
  const message = `OCI runtime create failed: ${runcMessage}`;
  // Docker answers 400 for a bad command (the CLI then exits 127/126), 500 otherwise.
  const kind = /executable file not found|no such file or directory|permission denied/i.test(runcMessage)
    ? 'invalid-argument'
    : 'internal';
  return new BerthError(kind, message);
}

async function readConmonPid(bundle: string): Promise<number> {
  const text = await readFile(join(bundle, CONMON_PIDFILE), 'utf8');
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0)
    throw new BerthError('internal', `conmon wrote an invalid pid file: ${JSON.stringify(text)}`);
  return pid;
}

/** Kills the monitor of a create that is being abandoned; its runc child dies with it (PDEATHSIG). */
async function killConmon(bundle: string): Promise<void> {
  try {
    process.kill(await readConmonPid(bundle), 'SIGKILL');
  } catch (e: unknown) {
    if (!isErrno(e, 'ENOENT') && !isErrno(e, 'ESRCH')) throw e;
  }
}

/**
 * A failed create leaves conmon's attach symlink behind, and an aborted one
 * may leave a half-created container in runc.
 */
async function cleanUpFailedCreate(options: CreateContainerOptions): Promise<void> {
  await rm(join(options.socketDir, options.id), { force: true });
  await deleteContainer(options.id, { runcRoot: options.runcRoot, runcPath: options.runcPath, force: true }).catch(
    () => undefined,
  );
}

function collect(stream: Readable | null): () => Promise<string> {
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    if (stream === null) return resolve();
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return async () => {
    await done;
    return Buffer.concat(chunks).toString('utf8');
  };
}

/** Rejects with `canceled` when the signal fires first, after running `onAbort`. */
async function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => Promise<void>,
): Promise<T> {
  if (signal === undefined) return work;
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort().then(
        () => reject(new BerthError('canceled', 'container create canceled', { cause: signal.reason })),
        reject,
      );
    };
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}
