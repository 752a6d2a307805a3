import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { BerthError, type ProgressEvent, type ProgressSink } from '../kernel/index.js';

/** One line of Docker's JSON-lines stream (moby `jsonmessage.JSONMessage`). */
export interface JsonMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  stream?: string;
  aux?: unknown;
  errorDetail?: { message: string };
  error?: string;
}

/** What a `jsonLines` handler writes to. Each call sends one line at once. */
export interface JsonLinesWriter {
  write(message: JsonMessage): void;
  /** Pass as an operation's `progress` option: kernel events become progress lines. */
  readonly progress: ProgressSink;
  /** `{"status": ...}`, e.g. "Digest: sha256:..." or "Loaded image: x". */
  status(status: string, id?: string): void;
  /** `{"stream": ...}`, build output and load's "Loaded image: x\n". */
  stream(text: string): void;
  /** `{"aux": ...}`, e.g. build's `{"ID": "sha256:..."}` or push's digest. */
  aux(value: unknown): void;
}

/** The server's side of a JSON-lines reply. */
export interface JsonLinesStream extends JsonLinesWriter {
  /** True once the status line went out; errors must then go in-stream. */
  readonly started: boolean;
  /** Reports an error as Docker does once streaming has started. */
  fail(message: string): void;
}

/** Docker's JSON-lines stream over `res`; headers go out with the first line unless flushed at once. */
export function openJsonLines(res: ServerResponse, options: { flushHeaders?: boolean } = {}): JsonLinesStream {
  let started = false;
  const start = (): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    started = true;
  };
  if (options.flushHeaders) {
    start();
    res.flushHeaders();
  }
  const write = (message: JsonMessage): void => {
    // Once the client is gone there is nobody to tell; the handler learns of
    // it through its signal.
    if (res.destroyed || res.writableEnded) return;
    if (!started) start();
    res.write(JSON.stringify(message) + '\n');
  };
  return {
    get started() {
      return started;
    },
    write,
    progress: (event) => write(progressMessage(event)),
    status: (status, id) => write(id === undefined ? { status } : { status, id }),
    stream: (text) => write({ stream: text }),
    aux: (value) => write({ aux: value }),
    fail: (message) => write({ errorDetail: { message }, error: message }),
  };
}

/**
 * A kernel progress event as Docker's pull/push/load line: a layer-scoped
 * event carries `progressDetail` (empty when there are no numbers yet, as
 * Docker sends for "Pulling fs layer"), and numbers also get the rendered
 * `progress` bar that non-terminal clients print as is.
 */
export function progressMessage(event: ProgressEvent): JsonMessage {
  const message: JsonMessage = { status: event.status };
  if (event.current !== undefined) {
    message.progressDetail =
      event.total === undefined ? { current: event.current } : { current: event.current, total: event.total };
    message.progress = formatProgress(event.current, event.total);
  } else if (event.id !== undefined) {
    message.progressDetail = {};
  }
  if (event.id !== undefined) message.id = event.id;
  return message;
}

const BAR_WIDTH = 50;

/** `[=====>      ]  1.2MB/3.4MB`, or just the size when the total is unknown. */
export function formatProgress(current: number, total: number | undefined): string {
  const done = humanSize(current).padStart(8);
  if (total === undefined || total <= 0) return current > 0 ? done : '';
  const filled = Math.min(BAR_WIDTH, Math.floor((current / total) * BAR_WIDTH));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled)}] `;
  return bar + (current > total ? done : `${done}/${humanSize(total)}`);
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** Decimal sizes with four significant digits, as Docker prints them ("2.106MB"). */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < SIZE_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(4))}${SIZE_UNITS[unit]}`;
}

/**
 * Writes `body` to `res` with backpressure. Unless `flushHeaders`, the status
 * line waits for the first chunk, so a source that fails at once throws here
 * before anything is sent. When `signal` aborts (client gone) the copy stops
 * even if the source is idle, and the source is closed: a Readable is
 * destroyed, another iterator is asked to return.
 */
export async function sendBinary(
  res: ServerResponse,
  reply: {
    contentType: string;
    body: AsyncIterable<Uint8Array>;
    headers?: Readonly<Record<string, string>>;
    flushHeaders?: boolean;
  },
  signal: AbortSignal,
): Promise<void> {
  const iterator = reply.body[Symbol.asyncIterator]();
  const stop = whenAborted(signal, () => {
    if (reply.body instanceof Readable) reply.body.destroy();
    else iterator.return?.().catch(() => undefined);
  });
  const read = () => Promise.race([iterator.next(), stop.aborted]);
  const start = (): void => void res.writeHead(200, { ...reply.headers, 'Content-Type': reply.contentType });
  try {
    if (reply.flushHeaders) {
      start();
      res.flushHeaders();
    }
    let next = await read();
    if (!res.headersSent) start();
    while (!next.done) {
      if (!res.write(next.value)) await Promise.race([once(res, 'drain'), stop.aborted]);
      next = await read();
    }
    res.end();
  } finally {
    stop.dispose();
  }
}

/**
 * Runs `onAbort` once when `signal` fires, and offers a promise that rejects
 * with its reason, for racing waits that take no signal of their own.
 */
function whenAborted(signal: AbortSignal, onAbort: () => void): { aborted: Promise<never>; dispose(): void } {
  let listener = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort();
      reject(signal.reason instanceof Error ? signal.reason : new BerthError('canceled', 'operation canceled'));
    };
  });
  aborted.catch(() => undefined);
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return { aborted, dispose: () => signal.removeEventListener('abort', listener) };
}

/** The stream numbers of Docker's multiplexed framing. */
export const StdStream = { stdin: 0, stdout: 1, stderr: 2 } as const;
export type StdStream = (typeof StdStream)[keyof typeof StdStream];

/**
 * One frame of Docker's stdout/stderr multiplexing (logs, and attach/exec
 * without a TTY): `[stream, 0, 0, 0, size as big-endian uint32]` then the bytes.
 */
export function encodeFrame(stream: StdStream, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.byteLength, 4);
  return Buffer.concat([header, payload]);
}
