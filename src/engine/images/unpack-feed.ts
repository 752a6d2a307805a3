import { Readable } from 'node:stream';
import { createLayerGunzip, isGzip, type Compression } from '../../archive/index.js';
/** Bytes the copying feed buffers before it keeps the main thread's buffers (which makes it wait). */
const SOURCE_BUFFER = 1 << 20;

/**
 * How a worker job turns the main thread's buffers into the stream it
 * unpacks. Every buffer written is handed to `giveBack` exactly once, when
 * the feed no longer reads it, or at once when the feed is destroyed.
 */
export interface Feed {
  /** What the unpacker reads. */
  readonly stream: Readable;
  /** Set when `stream` is decompressed already: how the data was compressed. */
  readonly decompressed?: Compression;
  write(buffer: ArrayBuffer, length: number): void;
  end(): void;
  destroy(error?: Error): void;
}

/**
 * A feed for a layer starting with `head`. Gzip, the common case, is
 * decompressed straight from the buffers, which go back once zlib has
 * consumed them; anything else (plain tar, zstd, not a layer) is copied out
 * and left to `openDecompressed`. Copying costs a fresh page for every 4 KiB,
 * and on some virtual machines a page fault is dearer than the copy itself.
 */
export function openFeed(head: Uint8Array, giveBack: (buffer: ArrayBuffer) => void): Feed {
  return isGzip(head) ? gunzipFeed(giveBack) : copyFeed(giveBack);
}

function gunzipFeed(giveBack: (buffer: ArrayBuffer) => void): Feed {
  const gunzip = createLayerGunzip();
  // The unpacker reports the feed's errors; a second one (a write refused
  // after the first) must not crash the thread.
  gunzip.on('error', () => {});
  return {
    stream: gunzip,
    decompressed: 'gzip',
    // Node calls a write's callback once zlib has consumed all of it, or with
    // an error when the stream is destroyed first: either way zlib is done.
    write: (buffer, length) => void gunzip.write(new Uint8Array(buffer, 0, length), () => giveBack(buffer)),
    end: () => void gunzip.end(),
    destroy: (error) => void gunzip.destroy(error),
  };
}

function copyFeed(giveBack: (buffer: ArrayBuffer) => void): Feed {
  const held: ArrayBuffer[] = [];
  const returnHeld = () => {
    for (const buffer of held.splice(0)) giveBack(buffer);
  };
  const stream = new Readable({
    highWaterMark: SOURCE_BUFFER,
    read: returnHeld,
    destroy: (error, cb) => {
      returnHeld();
      cb(error);
    },
  });
  // As for gunzip above.
  stream.on('error', () => {});
  return {
    stream,
    write(buffer, length) {
      if (stream.destroyed) {
        giveBack(buffer);
        return;
      }
      const bytes = Buffer.allocUnsafe(length);
      bytes.set(new Uint8Array(buffer, 0, length));
      if (stream.push(bytes)) giveBack(buffer);
      else held.push(buffer);
    },
    end: () => void stream.push(null),
    destroy: (error) => void stream.destroy(error),
  };
}
