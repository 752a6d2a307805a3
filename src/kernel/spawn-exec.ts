/**
 * execFast: spawnFast run to completion with its output collected, the
 * posix_spawn counterpart of child_process.execFile.
 */
import type { Readable, Writable } from 'node:stream';
import { isErrno } from './errors.js';
import { abortError, spawnFast, type FastSpawnOptions } from './spawn.js';

export interface ExecFastOptions extends FastSpawnOptions {
  /** Written to stdin, which is then closed. */
  input?: string | Uint8Array;
  /** Cap on each of stdout and stderr, in bytes; beyond it the child is killed and execFast rejects. */
  maxBuffer?: number;
}

export interface ExecFastResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

/**
 * Runs `path` to completion and returns its exit status and UTF-8 output. It
 * does not reject on a non-zero exit or a signal death: callers decide. It
 * rejects with the spawn error when the program cannot be run, with an
 * AbortError when `signal` aborts, and with a RangeError (code
 * ERR_CHILD_PROCESS_STDIO_MAXBUFFER) past `maxBuffer`; in the last two cases
 * only once the killed child has been reaped. `extraOutputs` pipes are read
 * and discarded. Like execFile, it settles once the child has exited and its
 * pipes are closed, so a background grandchild holding them delays it.
 */
export async function execFast(
  path: string,
  args: readonly string[],
  options: ExecFastOptions = {},
): Promise<ExecFastResult> {
  const { input, maxBuffer = DEFAULT_MAX_BUFFER, signal, ...spawnOptions } = options;
  const kill = new AbortController();
  const child = spawnFast(path, args, {
    ...spawnOptions,
    stdin: input === undefined ? spawnOptions.stdin : 'pipe',
    signal: signal === undefined ? kill.signal : AbortSignal.any([signal, kill.signal]),
  });
  const streams = [child.stdin, child.stdout, child.stderr, ...child.extra];
  let failure: Error | undefined;
  const fail = (e: unknown): void => {
    if (failure !== undefined) return;
    failure = e instanceof Error ? e : new Error(String(e));
    kill.abort();
    streams.forEach((s) => s?.destroy());
  };
  const onAbort = (): void => fail(abortError(signal ?? kill.signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [status, stdout, stderr] = await Promise.all([
      child.exited,
      collect(child.stdout, 'stdout', maxBuffer, fail),
      collect(child.stderr, 'stderr', maxBuffer, fail),
      writeInput(child.stdin, input, fail),
      ...child.extra.map((s) => collect(s, 'extra', Infinity, fail)),
    ]);
    if (failure !== undefined) throw failure;
    return { ...status, stdout, stderr };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    streams.forEach((s) => s?.destroy());
  }
}

/** Reads a stream to its close; errors go to `fail`, so this never rejects. */
function collect(stream: Readable | null, name: string, limit: number, fail: (e: unknown) => void): Promise<string> {
  if (stream === null) return Promise.resolve('');
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) {
      if (limit !== Infinity) chunks.push(chunk);
      return;
    }
    const err = new RangeError(`${name} maxBuffer length exceeded`);
    (err as NodeJS.ErrnoException).code = 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
    fail(err);
  });
  stream.on('error', fail);
  // Decoding once at the end keeps multi-byte characters split across chunks whole.
  return new Promise((resolve) => stream.once('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
}

/** Writes `input` (or nothing) and closes stdin; a child that exits without reading is not an error. */
function writeInput(
  stdin: Writable | null,
  input: string | Uint8Array | undefined,
  fail: (e: unknown) => void,
): Promise<void> {
  if (stdin === null) return Promise.resolve();
  stdin.on('error', (e: unknown) => {
    if (!isErrno(e, 'EPIPE')) fail(e);
  });
  const closed = new Promise<void>((resolve) => stdin.once('close', () => resolve()));
  if (input === undefined) stdin.end();
  else stdin.end(input);
  return closed;
}
