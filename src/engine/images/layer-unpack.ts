import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, ContentStore, Expected } from '../../content/index.js';
import { errorMessage, invalidArgument, type Digest, type DiffID, type Lease } from '../../kernel/index.js';
import type { PreparedSnapshot, Snapshotter } from '../../snapshot/index.js';
import type { Compression } from '../../archive/index.js';
import type { UnpackPool } from './unpack-pool.js';

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
  compression: Compression;
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

/** Where layers are unpacked: snapshots, and the workers that fill them. */
export interface UnpackDeps {
  snapshotter: Snapshotter;
  unpacker: UnpackPool;
}

type UnpackOutcome =
  { layer: UnpackedLayer & { compression: Compression }; blobDigest: Digest } | { unpackError: unknown };

/** A prepared snapshot with a worker unpacking into it (./unpack-pool.ts). */
interface Unpacking {
  /** Where the layer bytes go (see `UnpackJob.sink`). */
  sink: Writable;
  /** Settles once the worker is done with the directory; on failure the snapshot is already removed. */
  outcome: Promise<UnpackOutcome>;
}

/** Starts an unpack; a snapshot that cannot be prepared is an unpack error like any other. */
async function prepareUnpack(deps: UnpackDeps, signal: AbortSignal | undefined): Promise<Unpacking> {
  let prepared: PreparedSnapshot;
  try {
    prepared = await deps.snapshotter.prepare();
  } catch (unpackError: unknown) {
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    return { sink, outcome: Promise.resolve({ unpackError }) };
  }
  const job = deps.unpacker.start(prepared.fsDir, signal ? { signal } : {});
  const outcome = job.result.then(
    ({ blobDigest, ...r }): UnpackOutcome => ({ layer: { prepared, ...r }, blobDigest }),
    async (unpackError: unknown): Promise<UnpackOutcome> => {
      await prepared.abort();
      return { unpackError };
    },
  );
  return { sink: job.sink, outcome };
}

/**
 * Unpacks a layer stream (compressed or not) into a new prepared snapshot.
 * On failure the snapshot is removed and the error thrown.
 */
export async function unpackLayer(
  source: Readable,
  deps: UnpackDeps,
  options: { signal?: AbortSignal } = {},
): Promise<UnpackedLayer & { compression: Compression }> {
  const { sink, outcome } = await prepareUnpack(deps, options.signal);
  // A source error reaches the job through the sink (pipeline destroys it);
  // a failed job needs no more bytes, so the source is closed.
  pipeline(source, sink).catch(() => {});
  const result = await outcome;
  if ('layer' in result) return result.layer;
  source.destroy();
  throw result.unpackError;
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
  deps: UnpackDeps & { content: ContentStore; lease: Lease },
  options: { expected?: Expected; signal?: AbortSignal } = {},
): Promise<IngestedBlob> {
  // The worker hashes the bytes it is sent, which are the bytes written: the
  // main thread, busy with the network, is spared that sha256 pass.
  const writer = await deps.content.writer({ callerHashes: true });
  const unpacking = await prepareUnpack(deps, options.signal);
  // The sink drops what arrives after a failed unpack, so the tee keeps flowing.
  source.pipe(unpacking.sink);
  try {
    await pipeline(source, writer.stream, { signal: options.signal });
    const result = await unpacking.outcome;
    // Without the worker's digest (the unpack failed) the writer hashes its file.
    const blob = await writer.commit(options.expected, 'layer' in result ? result.blobDigest : undefined);
    deps.lease.add(blob.digest);
    if ('layer' in result) {
      const { compression, ...layer } = result.layer;
      return { blob, compression, layer };
    }
    return { blob, compression: 'none', unpackError: result.unpackError };
  } catch (e) {
    unpacking.sink.destroy(e instanceof Error ? e : new Error(String(e)));
    await writer.abort().catch(() => {});
    const result = await unpacking.outcome;
    if ('layer' in result) await result.layer.prepared.abort();
    throw e;
  }
}
