import type { Readable, Writable } from 'node:stream';
import type { Digest } from '../kernel/index.js';

/** What the store knows of one committed blob. */
export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** What a writer must match before its blob becomes visible. */
export interface Expected {
  digest?: Digest;
  size?: number;
}

/** Read-only access to committed blobs. */
export interface BlobReader {
  /** Throws `not-found` when the blob is absent. */
  info(digest: Digest): Promise<BlobInfo>;
  has(digest: Digest): Promise<boolean>;
  /**
   * Streams a blob, optionally from a byte offset (an offset past the end
   * gives an empty stream). A missing blob surfaces as a `not-found` error
   * event on the stream, not a throw.
   */
  readStream(digest: Digest, options?: { start?: number }): Readable;
  readBytes(digest: Digest): Promise<Buffer>;
  /** The committed file, for consumers that can use a path (sendfile, copy_file_range). */
  blobPath(digest: Digest): string;
}

/**
 * One blob being written. Bytes go to `content/ingest/` while the digest is
 * computed; `commit` verifies size and digest, fsyncs and renames the file into
 * `blobs/`. A blob that already exists is success. `abort` removes the partial
 * file. Exactly one of commit/abort must be called; `abort` after `commit`
 * (in a `finally`) is a harmless no-op.
 *
 * `stream` is an ordinary Writable with ordinary backpressure: `pipeline()`
 * into it, or make it one destination of a tee (`source.pipe(a)` and
 * `source.pipe(writer.stream)`). Call `commit` once every byte is written
 * (after `pipeline` resolves); it ends the stream itself if the caller has not.
 * A failed commit (`invalid-argument`: "digest mismatch for <expected>: got
 * <actual>" or "size mismatch for ...") has already removed the partial file.
 */
export interface BlobWriter {
  readonly stream: Writable;
  /** Bytes written so far. */
  readonly written: number;
  /**
   * `digest`: the sha256 of the written bytes as the caller computed it, for
   * a writer opened with `callerHashes` (ignored otherwise). Without it such
   * a writer reads its file back to hash it.
   */
  commit(expected?: Expected, digest?: Digest): Promise<BlobInfo>;
  abort(): Promise<void>;
}

export interface WriterOptions {
  /**
   * The caller hashes the bytes it writes (on another thread, say) and hands
   * the digest to `commit`: the writer only writes, and the main thread is
   * spared a sha256 pass.
   */
  callerHashes?: boolean;
}

/** Adding blobs. */
export interface BlobIngester {
  writer(options?: WriterOptions): Promise<BlobWriter>;
  /**
   * Convenience: write a whole stream, verify, commit. When `expected.digest`
   * is already stored, the source is destroyed unread. An aborted signal
   * rejects with `canceled`.
   */
  ingest(source: Readable, expected?: Expected, options?: { signal?: AbortSignal }): Promise<BlobInfo>;
  /** Convenience for small blobs (manifests, configs). */
  ingestBytes(data: Uint8Array, expected?: Expected): Promise<BlobInfo>;
}

/** Listing and removing blobs, for GC. */
export interface BlobJanitor {
  walk(): AsyncIterable<BlobInfo>;
  /** Removing an absent blob is not an error. */
  delete(digest: Digest): Promise<void>;
  /**
   * Removes every partial ingest file left by a crash (run at daemon start);
   * files of this store's live writers are kept. Returns how many were removed.
   */
  cleanIngest(): Promise<number>;
}

export interface ContentStore extends BlobReader, BlobIngester, BlobJanitor {}
