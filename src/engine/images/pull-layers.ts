import {
  BerthError,
  chainIDs,
  invalidArgument,
  type ChainID,
  type DiffID,
  type Lease,
  type ProgressSink,
} from '../../kernel/index.js';
import type { Descriptor } from '../../image/index.js';
import type { Repository } from '../../registry/index.js';
import { addDurableLease } from '../../state/index.js';
import { forEachLimited, type DistributionDeps } from './distribution.js';
import { checkDiffId, ingestAndUnpack, unpackedLayerOf, unpackLayer, type UnpackedLayer } from './layer-unpack.js';
import { downloadProgress, shortLayerId } from './pull-progress.js';

/** How long a crashed or failed pull's verified layers are kept for the next attempt. */
const RESUME_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One layer of the image being pulled, with what the config says it must unpack to. */
interface LayerJob {
  descriptor: Descriptor;
  diffId: DiffID;
  chainId: ChainID;
  parent: ChainID | null;
  id: string;
}

export interface PullLayersInput {
  repository: Repository;
  layers: readonly Descriptor[];
  diffIds: readonly DiffID[];
  lease: Lease;
  /** The durable lease that keeps verified layers across a crash. */
  durableLease: string;
  signal?: AbortSignal;
  progress: ProgressSink;
}

/**
 * Brings every layer of an image into the store: skips those whose snapshot
 * and blob are here, downloads the rest in parallel, each streamed through
 * digest verification into the content store and unpacked in the same pass,
 * and commits the snapshots base first (a snapshot's parent must exist).
 * On failure every running transfer is stopped and nothing uncommitted is
 * kept; committed layers stay under the durable lease for the next pull.
 */
export async function pullLayers(deps: DistributionDeps, input: PullLayersInput): Promise<void> {
  const chain = chainIDs(input.diffIds);
  const jobs: LayerJob[] = input.layers.map((descriptor, i) => ({
    descriptor,
    diffId: input.diffIds[i]!,
    chainId: chain[i]!,
    parent: i === 0 ? null : chain[i - 1]!,
    id: shortLayerId(descriptor.digest),
  }));
  const todo: LayerJob[] = [];
  for (const job of jobs) {
    input.lease.add(job.chainId);
    input.lease.add(job.descriptor.digest);
    if (deps.snapshotter.get(job.chainId) && (await deps.content.has(job.descriptor.digest))) {
      input.progress({ id: job.id, status: 'Already exists' });
    } else {
      input.progress({ id: job.id, status: 'Pulling fs layer' });
      todo.push(job);
    }
  }
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;
  const committer = new OrderedCommitter(deps, input, jobs);
  // The first failure is the one to report; the others are mostly "canceled" because of it.
  let failure: unknown;
  await forEachLimited(
    todo,
    deps.maxConcurrentDownloads,
    async (job) => {
      try {
        const unpacked = await fetchLayer(deps, input, job, signal);
        await committer.commit(job, unpacked, signal);
      } catch (e) {
        failure ??= e;
        stop.abort(e);
        throw e;
      }
    },
    (job) => input.progress({ id: job.id, status: 'Waiting' }),
  )
    .catch((e: unknown) => {
      throw failure ?? e;
    })
    .finally(() => committer.abortPending());
}

/**
 * Downloads (or, when the blob is already stored, reads locally) one layer
 * and unpacks it into a prepared snapshot; verifies blob digest and diff ID.
 * Returns undefined when only the blob was missing (the snapshot exists).
 */
async function fetchLayer(
  deps: DistributionDeps,
  input: PullLayersInput,
  job: LayerJob,
  signal: AbortSignal,
): Promise<UnpackedLayer | undefined> {
  const { descriptor } = job;
  if (await deps.content.has(descriptor.digest)) {
    input.progress({ id: job.id, status: 'Download complete' });
    return verified(job, await unpackLayer(deps.content.readStream(descriptor.digest), deps, { signal }));
  }
  const onBytes = downloadProgress(input.progress, job.id, descriptor.size);
  const source = input.repository.openBlob(descriptor, { signal, onBytes });
  const expected = { digest: descriptor.digest, size: descriptor.size };
  if (deps.snapshotter.get(job.chainId)) {
    await deps.content.ingest(source, expected, { signal }).catch((e: unknown) => {
      throw verificationError(job, e);
    });
    input.lease.add(descriptor.digest);
    input.progress({ id: job.id, status: 'Download complete' });
    return undefined;
  }
  const ingested = await ingestAndUnpack(source, { ...deps, lease: input.lease }, { expected, signal }).catch(
    (e: unknown) => {
      throw verificationError(job, e);
    },
  );
  input.progress({ id: job.id, status: 'Verifying Checksum' });
  input.progress({ id: job.id, status: 'Download complete' });
  const layer = unpackedLayerOf(ingested, descriptor.digest);
  input.progress({ id: job.id, status: 'Extracting', current: descriptor.size, total: descriptor.size });
  return verified(job, layer);
}

/** A digest or size mismatch in the content store becomes Docker's message; others pass through. */
function verificationError(job: LayerJob, e: unknown): unknown {
  if (e instanceof BerthError && e.kind === 'invalid-argument' && /mismatch/.test(e.message)) {
    return invalidArgument(`filesystem layer verification failed for digest ${job.descriptor.digest}: ${e.message}`, e);
  }
  return e;
}

/** The layer, if it matches the config's diff ID; else its snapshot is removed and the pull fails. */
async function verified(job: LayerJob, layer: UnpackedLayer): Promise<UnpackedLayer> {
  try {
    checkDiffId(layer, job.descriptor.digest, job.diffId);
    return layer;
  } catch (e) {
    await layer.prepared.abort();
    throw e;
  }
}

/**
 * Commits snapshots in chain order as their downloads finish out of order:
 * a layer waits for its parent's commit. A committed layer goes under the
 * durable lease first, so a crash right after still keeps it.
 */
class OrderedCommitter {
  private readonly done = new Map<ChainID, Promise<void>>();
  private readonly resolvers = new Map<ChainID, () => void>();
  /** Unpacked layers waiting for their parent: removed if the pull fails. */
  private readonly waiting = new Set<UnpackedLayer>();

  constructor(
    private readonly deps: DistributionDeps,
    private readonly input: PullLayersInput,
    jobs: readonly LayerJob[],
  ) {
    for (const job of jobs) {
      const committed = deps.snapshotter.get(job.chainId)
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.resolvers.set(job.chainId, resolve));
      this.done.set(job.chainId, committed);
    }
  }

  async commit(job: LayerJob, layer: UnpackedLayer | undefined, signal: AbortSignal): Promise<void> {
    if (layer) this.waiting.add(layer);
    if (job.parent) await untilAborted(this.done.get(job.parent) ?? Promise.resolve(), signal);
    const expires = Date.now() + RESUME_WINDOW_MS;
    addDurableLease(this.deps.db, this.input.durableLease, [job.chainId, job.descriptor.digest], expires);
    if (layer) {
      this.waiting.delete(layer);
      await layer.prepared.commit({ chainId: job.chainId, parent: job.parent, diffId: job.diffId, size: layer.size });
    }
    this.resolvers.get(job.chainId)?.();
    this.input.progress({ id: job.id, status: 'Pull complete' });
  }

  /** Removes the files of layers unpacked but never committed. */
  async abortPending(): Promise<void> {
    await Promise.all([...this.waiting].map((l) => l.prepared.abort()));
    this.waiting.clear();
  }
}

/** `promise`, or a `canceled` rejection as soon as `signal` fires. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new BerthError('canceled', 'pull canceled'));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new BerthError('canceled', 'pull canceled'));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
