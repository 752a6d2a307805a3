import { Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import { newDigester, type Digest } from '../kernel/index.js';

/**
 * How much a writer buffers before `write()` returns false. While one write
 * to the file is in flight, later chunks queue up to this size and then go
 * down in a single `writev`, so small source chunks still make large writes.
 */
const HIGH_WATER_MARK = 4 * 1024 * 1024;

/**
 * A Writable that hashes every chunk (sha256), unless told its caller does,
 * and appends it to an open file.
 * It never fsyncs or closes the file: the owner does that once, at commit.
 * Backpressure is the standard Writable kind, so it works with `pipeline`
 * and as one destination of a `Readable.pipe` tee.
 */
export class HashingFileStream extends Writable {
  readonly #file: FileHandle;
  readonly #digester: ReturnType<typeof newDigester> | undefined;
  #written = 0;

  constructor(file: FileHandle, options: { hash: boolean } = { hash: true }) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.#file = file;
    this.#digester = options.hash ? newDigester() : undefined;
  }

  /** Bytes that have reached the file. */
  get written(): number {
    return this.#written;
  }

  /** The sha256 of everything written, if this stream hashes; call once, after the stream has finished. */
  digest(): Digest | undefined {
    return this.#digester?.digest();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#append([chunk]).then(() => callback(), callback);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.#append(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  async #append(buffers: Buffer[]): Promise<void> {
    if (this.#digester) for (const b of buffers) this.#digester.hash.update(b);
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await this.#file.writev(pending);
      this.#written += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }
}

/** The part of `buffers` left after a short write of `n` bytes. */
function dropBytes(buffers: Buffer[], n: number): Buffer[] {
  let left = n;
  const rest: Buffer[] = [];
  for (const b of buffers) {
    if (left >= b.length) {
      left -= b.length;
      continue;
    }
    rest.push(left > 0 ? b.subarray(left) : b);
    left = 0;
  }
  return rest;
}
