import type { Digest, DiffID, OperationOptions, ProgressSink } from '../../kernel/index.js';
import { digestHex } from '../../kernel/index.js';
import type { Descriptor } from '../../image/index.js';
import type { Reference } from '../../reference/index.js';
import type { Repository } from '../../registry/index.js';
import { addBlobSources, blobSources } from '../../state/index.js';
import { forEachLimited, throttled, type DistributionDeps } from './distribution.js';

/** How often a layer's upload count is reported. */
const PROGRESS_INTERVAL_MS = 100;

export interface PushLayersInput {
  ref: Reference;
  repository: Repository;
  layers: readonly Descriptor[];
  diffIds: readonly DiffID[];
  signal?: AbortSignal;
  progress: ProgressSink;
}

/**
 * Makes every layer blob present in the target repository: already there
 * (HEAD), mounted from another repository of the same registry that it is
 * known to be in, or uploaded from the content store. Docker names push
 * progress lines by the short diff ID.
 */
export async function pushLayers(deps: DistributionDeps, input: PushLayersInput): Promise<void> {
  const jobs = input.layers.map((descriptor, i) => ({
    descriptor,
    id: digestHex(input.diffIds[i] ?? descriptor.digest).slice(0, 12),
  }));
  for (const job of jobs) input.progress({ id: job.id, status: 'Preparing' });
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;
  let failure: unknown;
  await forEachLimited(
    jobs,
    deps.maxConcurrentUploads,
    async (job) => {
      try {
        const status = await pushBlob(deps, input, job.descriptor, { signal, progress: input.progress, id: job.id });
        input.progress({ id: job.id, status });
      } catch (e) {
        failure ??= e;
        stop.abort(e);
        throw e;
      }
    },
    (job) => input.progress({ id: job.id, status: 'Waiting' }),
  ).catch((e: unknown) => {
    throw failure ?? e;
  });
}

/** Puts one blob into the repository; returns the status Docker shows for how it got there. */
export async function pushBlob(
  deps: DistributionDeps,
  input: { ref: Reference; repository: Repository },
  descriptor: Descriptor,
  options: OperationOptions & { id?: string },
): Promise<string> {
  const { digest } = descriptor;
  const remember = () => addBlobSources(deps.db, [digest], { domain: input.ref.domain, repository: input.ref.path });
  if (await input.repository.hasBlob(digest, options)) {
    remember();
    return 'Layer already exists';
  }
  for (const from of mountSources(deps, input.ref, digest)) {
    if (await input.repository.mountBlob(digest, from, options)) {
      remember();
      return `Mounted from ${from}`;
    }
  }
  const { id, progress } = options;
  const report =
    id !== undefined && progress
      ? throttled(PROGRESS_INTERVAL_MS, (current) =>
          progress({ id, status: 'Pushing', current, total: descriptor.size }),
        )
      : undefined;
  await input.repository.uploadBlob(descriptor, () => deps.content.readStream(digest), {
    signal: options.signal,
    onBytes: report && ((sent) => report(sent, sent >= descriptor.size)),
  });
  remember();
  return 'Pushed';
}

/** Other repositories on the same registry that this blob came from or went to. */
function mountSources(deps: DistributionDeps, ref: Reference, digest: Digest): string[] {
  return blobSources(deps.db, digest)
    .filter((s) => s.domain === ref.domain && s.repository !== ref.path)
    .map((s) => s.repository);
}
