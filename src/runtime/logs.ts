/**
 * A container's log as Docker serves it: whole lines per stream, filtered by
 * stream and time, optionally only the last N, optionally followed while the
 * container runs. conmon's P fragments are joined per stream, so a long line
 * the container wrote in pieces comes back as one entry.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { openLogFile } from './logs-file.js';
import type { LogRecord, LogStream } from './logs-format.js';

export interface LogEntry {
  stream: LogStream;
  /** When the line's first byte was read by conmon, Unix nanoseconds. */
  timeNs: bigint;
  /** The line as the container wrote it, with its newline (none only for output that ended without one). */
  line: Buffer;
}

export interface ReadLogsOptions {
  /** Include stdout (default true). */
  stdout?: boolean;
  /** Include stderr (default true). */
  stderr?: boolean;
  /** Only lines at or after this time (Unix ns); see `secondsToNs`. */
  sinceNs?: bigint;
  /** Only lines at or before this time (Unix ns). */
  untilNs?: bigint;
  /** Only the last N lines that pass the other filters (before following). */
  tail?: number;
  /** Keep reading as the log grows until `exited` settles, `untilNs` passes, or the signal aborts. */
  follow?: boolean;
  /**
   * Settles when the container has exited (e.g. `waitForExit(...)`). conmon
   * writes the exit file only after the log is complete, so one last read
   * after it gets every line.
   */
  exited?: Promise<unknown>;
  /** Ends the read quietly (a client that went away is not an error). */
  signal?: AbortSignal;
  /** How often to look again when no file event arrives (default 1000 ms). */
  pollMs?: number;
}

/** The log's lines, oldest first. */
export async function* readLogs(logPath: string, options: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
  const file = openLogFile(logPath);
  const join = new LineJoiner();
  const keep = entryFilter(options);
  try {
    const first = join.push(await file.readNew()).filter(keep);
    const ended = options.follow !== true || (await hasSettled(options.exited));
    if (ended) first.push(...join.flush().filter(keep));
    yield* options.tail === undefined ? first : first.slice(Math.max(0, first.length - options.tail));
    if (ended) return;
    yield* follow(logPath, () => file.readNew(), join, keep, options);
  } finally {
    await file.close();
  }
}

async function* follow(
  logPath: string,
  readNew: () => Promise<LogRecord[]>,
  join: LineJoiner,
  keep: (e: LogEntry) => boolean,
  options: ReadLogsOptions,
): AsyncGenerator<LogEntry> {
  const wake = new Waker(logPath, options.pollMs ?? 1000);
  let exited = false;
  options.exited?.then(
    () => ((exited = true), wake.notify()),
    () => ((exited = true), wake.notify()),
  );
  const onAbort = (): void => wake.notify();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      await wake.next();
      if (options.signal?.aborted === true) return;
      const done = exited || pastUntil(options.untilNs);
      yield* join.push(await readNew()).filter(keep);
      if (done) return yield* join.flush().filter(keep);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    wake.close();
  }
}

function entryFilter(o: ReadLogsOptions): (e: LogEntry) => boolean {
  const streams = new Set<LogStream>();
  if (o.stdout !== false) streams.add('stdout');
  if (o.stderr !== false) streams.add('stderr');
  return (e) =>
    streams.has(e.stream) &&
    (o.sinceNs === undefined || e.timeNs >= o.sinceNs) &&
    (o.untilNs === undefined || e.timeNs <= o.untilNs);
}

function pastUntil(untilNs: bigint | undefined): boolean {
  return untilNs !== undefined && BigInt(Date.now()) * 1_000_000n > untilNs;
}

async function hasSettled(p: Promise<unknown> | undefined): Promise<boolean> {
  if (p === undefined) return false;
  const pending = Symbol('pending');
  const first = await Promise.race([p.catch(() => undefined), Promise.resolve(pending)]);
  return first !== pending;
}

/** Joins P fragments with the F record that ends them, separately per stream. */
class LineJoiner {
  private readonly pending = new Map<LogStream, { timeNs: bigint; parts: Buffer[] }>();

  push(records: LogRecord[]): LogEntry[] {
    const out: LogEntry[] = [];
    for (const r of records) {
      const open = this.pending.get(r.stream);
      const parts = open === undefined ? [r.text] : [...open.parts, r.text];
      const timeNs = open?.timeNs ?? r.timeNs;
      if (!r.complete) {
        this.pending.set(r.stream, { timeNs, parts });
        continue;
      }
      this.pending.delete(r.stream);
      out.push({ stream: r.stream, timeNs, line: Buffer.concat([...parts, NEWLINE]) });
    }
    return out;
  }

  /** Fragments never ended by an F: output that stopped without a newline. */
  flush(): LogEntry[] {
    const out = [...this.pending].map(([stream, p]) => ({ stream, timeNs: p.timeNs, line: Buffer.concat(p.parts) }));
    this.pending.clear();
    return out.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  }
}

const NEWLINE = Buffer.from('\n');

/**
 * Wakes the follower when the log's directory reports a change to the log
 * (a write or a rotation), when notified, or after `pollMs` as a fallback.
 */
class Waker {
  private watcher: FSWatcher | undefined;
  private resolve: (() => void) | undefined;
  private dirty = true;

  constructor(
    path: string,
    private readonly pollMs: number,
  ) {
    const name = basename(path);
    try {
      this.watcher = watch(dirname(path), (_e, f) => {
        if (f === null || f === name) this.notify();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      this.watcher = undefined;
    }
  }

  notify(): void {
    this.dirty = true;
    this.resolve?.();
  }

  async next(): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.pollMs);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.resolve = undefined;
    this.dirty = false;
  }

  close(): void {
    this.watcher?.close();
    this.resolve?.();
  }
}
