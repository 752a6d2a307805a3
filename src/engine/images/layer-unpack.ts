import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extractLayer, openDecompressed } from '../../archive/index.js';
import type { BlobInfo, ContentStore, Expected } from '../../content/index.js';
import { errorMessage, invalidArgument, newDigester, type DiffID, type Lease } from '../../kernel/index.js';
import type { PreparedSnapshot, Snapshotter } from '../../snapshot/index.js';

/** A layer unpacked into a prepared (not yet committed) snapshot. */
export interface UnpackedLayer {
  prepared: PreparedSnapshot;
  diffId: DiffID;
  /** Bytes of the uncompressed tar. */
  size: number;
}

/** A blob ingested from a stream, and what unpacking it as a layer gave. */
export interface IngestedBlob {
  blob: BlobInfo;
  compression: 'none' | 'gzip' | 'zstd';
  /** Set when the blob unpacked as a layer tar. */
  layer?: UnpackedLayer;
  /** Why it did not unpack (not a tar, or a refused entry). */
  unpackError?: unknown;
}

/** The layer an ingest unpacked, or an error naming the layer and why it did not unpack. */
export function unpackedLayerOf(ingested: IngestedBlob, name: string): UnpackedLayer {
  if (ingested.layer) return ingested.layer;
  throw invalidArgument(`layer ${name} could not be unpacked: ${errorMessage(ingested.unpackError)}`);
}

/** Refuses a layer whose content is not what the image config's diff ID says (the chain IDs depend on it). */
export function checkDiffId(layer: UnpackedLayer, name: string, expected: DiffID): void {
  if (layer.diffId !== expected) {
    throw invalidArgument(`layer ${name} has diff ID ${layer.diffId}, but the image config says ${expected}`);
  }
}

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

/**
 * Unpacks a layer stream (compressed or not) into a new prepared snapshot.
 * On failure the snapshot is removed and the error thrown.
 */
export async function unpackLayer(
  source: Readable,
  snapshotter: Snapshotter,
  options: { signal?: AbortSignal } = {},
): Promise<UnpackedLayer & { compression: 'none' | 'gzip' | 'zstd' }> {
  const prepared = await snapshotter.prepare();
  try {
    const { stream, compression } = await openDecompressed(source);
    const digester = diffDigester();
    const tar = stream.pipe(digester.stream);
    stream.once('error', (e) => tar.destroy(e));
    await extractLayer(tar, prepared.fsDir, options);
    // The extractor may stop at the end-of-archive blocks; the diff ID covers every byte.
    tar.resume();
    await new Promise<void>((resolve, reject) => {
      if (tar.readableEnded) resolve();
      tar.once('end', resolve).once('error', reject);
    });
    return { prepared, compression, ...digester.result() };
  } catch (e) {
    await prepared.abort();
    throw e;
  }
}

/**
 * Writes a stream to the content store and, in the same pass, tries to unpack
 * it as a layer: a tee, so a 300 MB layer is read once. Data that is not a
 * layer (a config, a manifest) just fails to unpack, which is recorded, and
 * the blob is kept. The lease protects the blob until the caller records an
 * image that refers to it.
 */
export async function ingestAndUnpack(
  source: Readable,
  deps: { content: ContentStore; snapshotter: Snapshotter; lease: Lease },
  options: { expected?: Expected; signal?: AbortSignal } = {},
): Promise<IngestedBlob> {
  const writer = await deps.content.writer();
  const branch = new PassThrough({ highWaterMark: 1 << 20 });
  // The unpacker reports branch errors through its promise; the tee must not crash on them.
  branch.on('error', () => {});
  const unpacking = unpackLayer(branch, deps.snapshotter, options).then(
    (layer) => ({ layer }),
    (unpackError: unknown) => {
      // Keep the tee flowing: whatever the unpacker did not read is dropped.
      branch.resume();
      return { unpackError };
    },
  );
  source.pipe(branch);
  try {
    await pipeline(source, writer.stream, { signal: options.signal });
    const blob = await writer.commit(options.expected);
    deps.lease.add(blob.digest);
    const result = await unpacking;
    if ('layer' in result) {
      const { compression, ...layer } = result.layer;
      return { blob, compression, layer };
    }
    return { blob, compression: 'none', unpackError: result.unpackError };
  } catch (e) {
    branch.destroy(e instanceof Error ? e : new Error(String(e)));
    await writer.abort().catch(() => {});
    const result = await unpacking;
    if ('layer' in result) await result.layer.prepared.abort();
    throw e;
  }
}
