/**
 * The messages between the main thread and a layer unpack worker
 * (./unpack-worker.ts). A job is one layer: the main thread starts it with the
 * snapshot directory, streams the layer bytes in `data` messages and ends or
 * aborts it; the worker finishes with `done` or `error`.
 *
 * Data travels in a few fixed-size buffers that go back and forth
 * (transferred, never cloned): the worker hands each back in a `return` once
 * its parser has room for more, so the buffers a job holds are its
 * backpressure, and neither side allocates per chunk.
 */
import type { Compression } from '../../archive/index.js';
import { BerthError, type Digest, type DiffID, type ErrorKind } from '../../kernel/index.js';

/** What unpacking a layer tar gave. */
export interface UnpackResult {
  diffId: DiffID;
  /** Bytes of the uncompressed tar. */
  size: number;
  compression: Compression;
}

/** A job's result: the layer's, and the sha256 of every byte the job was sent (the blob as stored). */
export interface JobResult extends UnpackResult {
  blobDigest: Digest;
}

export type ToWorker =
  | { type: 'start'; job: number; fsDir: string }
  /** The first `length` bytes of `buffer` are the layer's next bytes. */
  | { type: 'data'; job: number; buffer: ArrayBuffer; length: number }
  | { type: 'end'; job: number }
  | { type: 'abort'; job: number; error: WireError };

export type FromWorker =
  | { type: 'return'; job: number; buffer: ArrayBuffer }
  | { type: 'done'; job: number; result: JobResult }
  | { type: 'error'; job: number; error: WireError };

/**
 * An error as it crosses the thread boundary: structured clone keeps neither
 * the BerthError class nor its kind, so both are carried as data.
 */
export interface WireError {
  message: string;
  kind?: ErrorKind;
  /** A Node.js system or zlib error code (ENOSPC, Z_DATA_ERROR). */
  code?: string;
}

export function errorToWire(e: unknown): WireError {
  if (e instanceof BerthError) return { message: e.message, kind: e.kind };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? { message: e.message, code } : { message: e.message };
  }
  return { message: String(e) };
}

/** The error again: a BerthError of the same kind, or an Error with the same message and code. */
export function errorFromWire(w: WireError): Error {
  if (w.kind !== undefined) return new BerthError(w.kind, w.message);
  const e = new Error(w.message);
  if (w.code !== undefined) Object.assign(e, { code: w.code });
  return e;
}
