import { mkdir, opendir, readFile, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BerthError,
  digestHex,
  invalidArgument,
  isDigest,
  isBerthError,
  isErrno,
  notFound,
  sha256,
  type Digest,
} from '../kernel/index.js';
import type { BlobInfo, BlobWriter, ContentStore, Expected, WriterOptions } from './content-store.js';
import { BlobReadStream } from './blob-read-stream.js';
import { openIngestWriter, verifyBlob } from './ingest-writer.js';

const HEX_RE = /^[a-f0-9]{64}$/;

/**
 * Opens (creating if needed) the blob store at `root`:
 * `blobs/sha256/<hex>` holds committed blobs (mode 0444), `ingest/<random>`
 * holds partial writes.
 */
export async function openContentStore(root: string): Promise<ContentStore> {
  const blobsDir = join(root, 'blobs', 'sha256');
  const ingestDir = join(root, 'ingest');
  await mkdir(blobsDir, { recursive: true });
  await mkdir(ingestDir, { recursive: true });
  return new LocalContentStore(blobsDir, ingestDir);
}

class LocalContentStore implements ContentStore {
  readonly #blobsDir: string;
  readonly #ingestDir: string;
  /** Ingest files of live writers, which `cleanIngest` must leave alone. */
  readonly #active = new Set<string>();

  constructor(blobsDir: string, ingestDir: string) {
    this.#blobsDir = blobsDir;
    this.#ingestDir = ingestDir;
  }

  blobPath(digest: Digest): string {
    // The digest becomes a file name: refuse anything that is not exactly sha256 hex.
    if (!isDigest(digest)) throw invalidArgument(`invalid digest: ${digest}`);
    return join(this.#blobsDir, digestHex(digest));
  }

  async info(digest: Digest): Promise<BlobInfo> {
    try {
      const st = await stat(this.blobPath(digest));
      return { digest, size: st.size };
    } catch (e: unknown) {
      throw isErrno(e, 'ENOENT') ? notFound(`blob not found: ${digest}`, e) : e;
    }
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await stat(this.blobPath(digest));
      return true;
    } catch (e: unknown) {
      if (isErrno(e, 'ENOENT')) return false;
      throw e;
    }
  }

  readStream(digest: Digest, options: { start?: number } = {}): Readable {
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw invalidArgument(`invalid read offset: ${start}`);
    return new BlobReadStream(this.blobPath(digest), digest, start);
  }

  async readBytes(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (e: unknown) {
      throw isErrno(e, 'ENOENT') ? notFound(`blob not found: ${digest}`, e) : e;
    }
  }

  async writer(options: WriterOptions = {}): Promise<BlobWriter> {
    const name = randomBytes(16).toString('hex');
    this.#active.add(name);
    try {
      return await openIngestWriter({
        callerHashes: options.callerHashes === true,
        ingestPath: join(this.#ingestDir, name),
        blobPath: (digest) => this.blobPath(digest),
        onDone: () => this.#active.delete(name),
      });
    } catch (e: unknown) {
      this.#active.delete(name);
      throw e;
    }
  }

  async ingest(source: Readable, expected: Expected = {}, options: { signal?: AbortSignal } = {}): Promise<BlobInfo> {
    const existing = await this.#existing(expected);
    if (existing) {
      source.destroy();
      return existing;
    }
    const writer = await this.writer();
    try {
      await pipeline(source, writer.stream, { signal: options.signal });
    } catch (e: unknown) {
      await writer.abort();
      if (options.signal?.aborted) throw new BerthError('canceled', 'blob ingest canceled', { cause: e });
      throw e;
    }
    return writer.commit(expected);
  }

  async ingestBytes(data: Uint8Array, expected: Expected = {}): Promise<BlobInfo> {
    // Small blobs are hashed up front: a wrong expectation fails without
    // touching the disk, and a blob already stored is not rewritten.
    const info: BlobInfo = { digest: sha256(data), size: data.byteLength };
    verifyBlob(expected, info);
    if (await this.has(info.digest)) return info;
    const writer = await this.writer();
    writer.stream.end(data);
    return writer.commit(expected);
  }

  async *walk(): AsyncIterable<BlobInfo> {
    for await (const entry of await opendir(this.#blobsDir)) {
      if (!entry.isFile() || !HEX_RE.test(entry.name)) continue;
      try {
        const st = await stat(join(this.#blobsDir, entry.name));
        yield { digest: `sha256:${entry.name}` as Digest, size: st.size };
      } catch (e: unknown) {
        // Deleted between listing and stat: it is simply no longer there.
        if (!isErrno(e, 'ENOENT')) throw e;
      }
    }
  }

  async delete(digest: Digest): Promise<void> {
    try {
      await unlink(this.blobPath(digest));
    } catch (e: unknown) {
      if (!isErrno(e, 'ENOENT')) throw e;
    }
  }

  async cleanIngest(): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.#ingestDir)) {
      if (this.#active.has(name)) continue;
      await rm(join(this.#ingestDir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** The committed blob that already satisfies `expected`, so callers skip writing bytes the store has. */
  async #existing(expected: Expected): Promise<BlobInfo | undefined> {
    if (expected.digest === undefined) return undefined;
    try {
      const info = await this.info(expected.digest);
      verifyBlob(expected, info);
      return info;
    } catch (e: unknown) {
      if (isBerthError(e, 'not-found')) return undefined;
      throw e;
    }
  }
}
