import { Readable } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import { isErrno, notFound } from '../kernel/index.js';

const HIGH_WATER_MARK = 1024 * 1024;

/**
 * Streams a committed blob from a byte offset. Unlike `fs.createReadStream`
 * it reports a missing blob as BerthError `not-found`, so consumers see the
 * same error kind as from `info()`.
 */
export class BlobReadStream extends Readable {
  readonly #path: string;
  readonly #label: string;
  #position: number;
  #file: FileHandle | undefined;

  constructor(path: string, label: string, start: number) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.#path = path;
    this.#label = label;
    this.#position = start;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'r').then(
      (file) => {
        this.#file = file;
        callback();
      },
      (e: unknown) => callback(isErrno(e, 'ENOENT') ? notFound(`blob not found: ${this.#label}`, e) : asError(e)),
    );
  }

  override _read(size: number): void {
    const file = this.#file;
    if (!file) return;
    const buffer = Buffer.allocUnsafe(size);
    file.read(buffer, 0, size, this.#position).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        this.#position += bytesRead;
        this.push(bytesRead < size ? buffer.subarray(0, bytesRead) : buffer);
      },
      (e: unknown) => this.destroy(asError(e)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.#file;
    this.#file = undefined;
    if (!file) return callback(error);
    file.close().then(
      () => callback(error),
      (e: unknown) => callback(error ?? asError(e)),
    );
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
