import type { HijackedConnection } from './hijack.js';
import type { JsonLinesWriter } from './streams.js';

/** Extra response headers, e.g. `X-Docker-Container-Path-Stat`. */
export type ReplyHeaders = Readonly<Record<string, string>>;

/**
 * What a handler returns; the server writes it. Handlers never touch the
 * response object, so status choice for errors stays in `errors.ts` and the
 * common headers, streaming and disconnect handling stay in one place.
 */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: ReplyHeaders }
  | { kind: 'text'; status: number; body: string; contentType: string; headers?: ReplyHeaders }
  | { kind: 'empty'; status: number; headers?: ReplyHeaders }
  | { kind: 'json-lines'; run: (out: JsonLinesWriter) => Promise<void>; flushHeaders?: boolean }
  | {
      kind: 'binary';
      contentType: string;
      body: AsyncIterable<Uint8Array>;
      headers?: ReplyHeaders;
      flushHeaders?: boolean;
    }
  | { kind: 'hijack'; multiplexed: boolean; run: (conn: HijackedConnection) => Promise<void> };

/** A JSON document with the given status. */
export function json(status: number, body: unknown, headers?: ReplyHeaders): Reply {
  return { kind: 'json', status, body, headers };
}

/** 204 No Content. */
export function noContent(): Reply {
  return { kind: 'empty', status: 204 };
}

/** A status with no body (201 for some creates, 304 for start-when-running). */
export function empty(status: number, headers?: ReplyHeaders): Reply {
  return { kind: 'empty', status, headers };
}

/** Plain text (only `/_ping` answers so). */
export function text(status: number, body: string, headers?: ReplyHeaders): Reply {
  return { kind: 'text', status, body, contentType: 'text/plain; charset=utf-8', headers };
}

/**
 * Streams that must answer at once, before there is anything to send
 * (`/events`, `logs --follow`): Docker flushes the status line first there,
 * and clients wait for it. Errors then always arrive in the stream.
 */
export interface StreamOptions {
  flushHeaders?: boolean;
}

/**
 * Docker's JSON-lines progress stream (`application/json`, one object per
 * line). Unless `flushHeaders`, nothing is sent until `run` writes its first
 * line, so an error thrown before that is an ordinary error status (as with
 * Docker, where a pull of an unknown image is a 404); an error after it is
 * reported in the stream as `{"errorDetail":...,"error":...}`, the status
 * being 200 already.
 */
export function jsonLines(run: (out: JsonLinesWriter) => Promise<void>, options: StreamOptions = {}): Reply {
  return { kind: 'json-lines', run, flushHeaders: options.flushHeaders };
}

/**
 * A raw byte stream (`application/x-tar` for save/export), written with
 * backpressure. Unless `flushHeaders`, the status line waits for the first
 * chunk, so a source that fails at once is an error status; a later failure
 * cuts the connection so the client sees a truncated transfer, never a tar
 * with an error in it. On client disconnect the source's iterator is closed
 * (a Readable is destroyed).
 */
export function binary(
  contentType: string,
  body: AsyncIterable<Uint8Array>,
  options: StreamOptions & { headers?: ReplyHeaders } = {},
): Reply {
  return { kind: 'binary', contentType, body, ...options };
}

/**
 * Takes over the connection for attach/exec. With `Upgrade: tcp` the client
 * gets `101 UPGRADED` and a raw bidirectional socket; without it a 200 whose
 * body is the output stream and whose request body is the input. `multiplexed`
 * (no TTY) selects Docker's 8-byte framed content type on API 1.42 and later.
 */
export function hijack(options: { multiplexed: boolean; run: (conn: HijackedConnection) => Promise<void> }): Reply {
  return { kind: 'hijack', ...options };
}
