/**
 * conmon's k8s-file log format (the CRI log format): one record per line,
 *
 *     <timestamp> <stdout|stderr> <F|P> <text>\n
 *
 * where the timestamp is RFC 3339 with nanoseconds and the local UTC offset
 * (`2026-11-27T09:19:23.123456789+00:00`), F marks the end of a line of the
 * container's output and P a fragment (conmon read part of a line, or the
 * output ended without a newline). The text never holds a newline; for F
 * records the container's newline was removed.
 */

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** Unix time in nanoseconds (a Date has only milliseconds). */
  timeNs: bigint;
  stream: LogStream;
  /** True for F: this record ends a line. */
  complete: boolean;
  text: Buffer;
}

const SPACE = 0x20;

/** One record from a line of the file (without its newline); undefined when malformed. */
export function parseLogRecord(line: Buffer): LogRecord | undefined {
  const s1 = line.indexOf(SPACE);
  const s2 = s1 < 0 ? -1 : line.indexOf(SPACE, s1 + 1);
  if (s2 < 0 || line.length < s2 + 2) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  const tag = line[s2 + 1];
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  if (tag !== 0x46 /* F */ && tag !== 0x50 /* P */) return undefined;
  const timeNs = parseTimestamp(line.toString('latin1', 0, s1));
  if (timeNs === undefined) return undefined;
  // "F" alone (an empty line) has no space after the tag.
  const text = line.length > s2 + 2 ? line.subarray(s2 + 3) : Buffer.alloc(0);
  return { timeNs, stream, complete: tag === 0x46, text };
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** RFC 3339 (with up to nine fractional digits) to Unix nanoseconds. */
export function parseTimestamp(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [, seconds, fraction, zone] = m;
  const ms = Date.parse(`${seconds ?? ''}${zone ?? ''}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
}

/**
 * Docker's `--timestamps` form: UTC, always nine fractional digits
 * (`2026-11-27T09:19:23.123456789Z`).
 */
export function formatTimestamp(timeNs: bigint): string {
  const ms = timeNs / 1_000_000n;
  const nanos = ((timeNs % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const seconds = new Date(Number(ms)).toISOString().slice(0, 19);
  return `${seconds}.${nanos.toString().padStart(9, '0')}Z`;
}

/** Seconds since the epoch (Docker's `since`/`until`, fractions allowed) to nanoseconds. */
export function secondsToNs(seconds: number): bigint {
  const whole = Math.floor(seconds);
  return BigInt(whole) * 1_000_000_000n + BigInt(Math.round((seconds - whole) * 1e9));
}
