import { Transform, type Readable } from 'node:stream';
import { extractLayer, openDecompressed } from '../../archive/index.js';
import { newDigester, type DiffID } from '../../kernel/index.js';
import type { Compression } from '../../archive/index.js';
import type { UnpackResult } from './unpack-protocol.js';

/** Counts and hashes the bytes passing through: the diff ID of an uncompressed layer. */
function diffDigester(): { stream: Transform; result(): { diffId: DiffID; size: number } } {
  const d = newDigester();
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      d.hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, result: () => ({ diffId: d.digest() as string as DiffID, size }) };
}

export interface UnpackStreamOptions {
  signal?: AbortSignal;
  /** The caller decompressed `source` already; this is what it was compressed with. */
  decompressed?: Compression;
}

/**
 * Decompresses a layer stream, extracts the tar into `fsDir` (an existing
 * empty directory) and hashes it for the diff ID, reading `source` to its end.
 * On failure what was written stays in `fsDir`; the caller removes it.
 */
export async function unpackStream(
  source: Readable,
  fsDir: string,
  options: UnpackStreamOptions = {},
): Promise<UnpackResult> {
  const { stream, compression } = options.decompressed
    ? { stream: source, compression: options.decompressed }
    : await openDecompressed(source);
  const digester = diffDigester();
  const tar = stream.pipe(digester.stream);
  stream.once('error', (e) => tar.destroy(e));
  await extractLayer(tar, fsDir, { signal: options.signal });
  // The extractor may stop at the end-of-archive blocks; the diff ID covers every byte.
  tar.resume();
  await new Promise<void>((resolve, reject) => {
    if (tar.readableEnded) resolve();
    tar.once('end', resolve).once('error', reject);
  });
  return { compression, ...digester.result() };
}
