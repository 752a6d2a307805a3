import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { dirname } from 'node:path';
import { invalidArgument, isErrno, newDigester, type Digest } from '../kernel/index.js';
import type { BlobInfo, BlobWriter, Expected } from './content-store.js';
import { HashingFileStream } from './hashing-file-stream.js';

/** Committed blobs are never modified in place; read-only makes an accident loud. */
const BLOB_MODE = 0o444;

export interface IngestWriterOptions {
  /** See WriterOptions. */
  callerHashes: boolean;
  /** The partial file to create, under `ingest/`. */
  ingestPath: string;
  /** Where the blob with a given digest lives once committed. */
  blobPath: (digest: Digest) => string;
  /** Called once, when the writer has committed or been discarded. */
  onDone: () => void;
}

/** Creates the partial file and returns a writer over it. */
export async function openIngestWriter(options: IngestWriterOptions): Promise<BlobWriter> {
  const file = await open(options.ingestPath, 'wx', 0o600);
  return new IngestWriter(file, options);
}

class IngestWriter implements BlobWriter {
  readonly stream: HashingFileStream;
  readonly #file: FileHandle;
  readonly #options: IngestWriterOptions;
  #state: 'open' | 'committing' | 'done' = 'open';
  #fileClosed = false;

  constructor(file: FileHandle, options: IngestWriterOptions) {
    this.#file = file;
    this.#options = options;
    this.stream = new HashingFileStream(file, { hash: !options.callerHashes });
  }

  get written(): number {
    return this.stream.written;
  }

  async commit(expected: Expected = {}, digest?: Digest): Promise<BlobInfo> {
    if (this.#state !== 'open') throw invalidArgument('blob writer is already committed or aborted');
    this.#state = 'committing';
    try {
      await this.#endStream();
      const info: BlobInfo = {
        digest: this.stream.digest() ?? digest ?? (await hashFile(this.#options.ingestPath)),
        size: this.stream.written,
      };
      verifyBlob(expected, info);
      await this.#file.chmod(BLOB_MODE);
      await this.#file.sync();
      this.#fileClosed = true;
      await this.#file.close();
      await this.#place(info.digest);
      return info;
    } catch (e: unknown) {
      await this.#discard();
      throw e;
    } finally {
      this.#finish();
    }
  }

  async abort(): Promise<void> {
    // After commit (either outcome) there is nothing left to remove; callers
    // may abort in a `finally` without tracking whether commit ran.
    if (this.#state !== 'open') return;
    this.#state = 'committing';
    try {
      await this.#discard();
    } finally {
      this.#finish();
    }
  }

  /** Ends the stream if the caller has not, and waits until every byte is on its way to disk. */
  async #endStream(): Promise<void> {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    await finished(this.stream);
  }

  /**
   * Moves the verified file into `blobs/`. If the blob is already there (an
   * earlier or concurrent ingest of the same bytes), ours is dropped: the
   * content is identical, so "already exists" is success.
   */
  async #place(digest: Digest): Promise<void> {
    const target = this.#options.blobPath(digest);
    if (await exists(target)) {
      await rm(this.#options.ingestPath, { force: true });
      return;
    }
    await rename(this.#options.ingestPath, target);
    await fsyncDirectory(dirname(target));
  }

  async #discard(): Promise<void> {
    if (!this.stream.destroyed) this.stream.destroy();
    if (!this.#fileClosed) {
      this.#fileClosed = true;
      await this.#file.close().catch(() => {});
    }
    await rm(this.#options.ingestPath, { force: true });
  }

  #finish(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#options.onDone();
  }
}

/** The sha256 of the whole file, read back (the writer's handle is write-only). */
async function hashFile(path: string): Promise<Digest> {
  const d = newDigester();
  for await (const chunk of createReadStream(path)) d.hash.update(chunk as Buffer);
  return d.digest();
}

/** Throws `invalid-argument` unless `actual` has the expected size and digest. */
export function verifyBlob(expected: Expected, actual: BlobInfo): void {
  if (expected.size !== undefined && expected.size !== actual.size) {
    const what = expected.digest ?? actual.digest;
    throw invalidArgument(`size mismatch for ${what}: expected ${expected.size} bytes, got ${actual.size}`);
  }
  if (expected.digest !== undefined && expected.digest !== actual.digest) {
    throw invalidArgument(`digest mismatch for ${expected.digest}: got ${actual.digest}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return false;
    throw e;
  }
}

/** Makes a rename durable: the new directory entry survives a crash only once the directory is synced. */
async function fsyncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
