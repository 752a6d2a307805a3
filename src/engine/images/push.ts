import {
  invalidArgument,
  isBerthError,
  notFound,
  type Digest,
  type OperationOptions,
  type ProgressSink,
} from '../../kernel/index.js';
import { MediaType, type Manifest } from '../../image/index.js';
import { familiarString, fullName, parseReference, withTag, type Reference } from '../../reference/index.js';
import type { Credentials, Repository } from '../../registry/index.js';
import { setRepoDigest, tagsWithPrefix } from '../../state/index.js';
import type { DistributionDeps } from './distribution.js';
import { pushBlob, pushLayers } from './push-layers.js';

export interface PushOptions extends OperationOptions {
  /** Push this tag only; without one, every tag of the repository (the API's meaning of an empty tag). */
  tag?: string;
  credentials?: Credentials;
  /** Called after each tag's manifest is in: the API sends it as Docker's `aux` message. */
  onPushed?: (result: PushResult) => void;
}

/** What Docker reports for each pushed tag. */
export interface PushResult {
  Tag: string;
  Digest: Digest;
  Size: number;
}

/**
 * `docker push`: for each tag, puts the image's layers and config into the
 * repository (skipping, mounting or uploading each blob), then its manifest,
 * exactly as stored, so the digest and image ID are the same wherever it
 * is pulled. The manifest digest is recorded as a repo digest.
 */
export async function pushImage(
  deps: DistributionDeps,
  name: string,
  options: PushOptions = {},
): Promise<PushResult[]> {
  const repo = parseReference(name);
  if (repo.domain === '') throw invalidArgument(`invalid reference format: ${name} names no registry`);
  const progress: ProgressSink = options.progress ?? (() => {});
  const tags = tagsToPush(deps, repo, options.tag);
  const repository = deps.registry.repository(repo, options.credentials);
  progress({ status: `The push refers to repository [${fullName(repo)}]` });
  const results: PushResult[] = [];
  for (const tag of tags) {
    const result = await pushTag(deps, withTag({ domain: repo.domain, path: repo.path }, tag), repository, {
      ...options,
      progress,
    });
    progress({ status: `${tag}: digest: ${result.Digest} size: ${result.Size}` });
    options.onPushed?.(result);
    results.push(result);
  }
  return results;
}

/** The tags to push: the one asked for (or in the name), else all of the repository's. */
function tagsToPush(deps: DistributionDeps, repo: Reference, tag: string | undefined): string[] {
  const wanted = tag || repo.tag;
  if (wanted) {
    const name = familiarString(withTag(repo, wanted));
    try {
      deps.store.resolve(name);
    } catch (e) {
      throw isBerthError(e, 'not-found') ? notFound(`An image does not exist locally with the tag: ${name}`, e) : e;
    }
    return [wanted];
  }
  const prefix = `${fullName(repo)}:`;
  const all = tagsWithPrefix(deps.db, prefix).map((t) => t.slice(prefix.length));
  if (all.length === 0) throw notFound(`An image does not exist locally with the tag: ${familiarString(repo)}`);
  return all;
}

async function pushTag(
  deps: DistributionDeps,
  ref: Reference,
  repository: Repository,
  options: PushOptions & { progress: ProgressSink },
): Promise<PushResult> {
  const row = deps.store.resolve(familiarString(ref));
  const image = await deps.store.load(row);
  const manifest: Manifest = image.manifest;
  await pushLayers(deps, {
    ref,
    repository,
    layers: manifest.layers,
    diffIds: image.config.rootfs.diff_ids,
    signal: options.signal,
    progress: options.progress,
  });
  await pushBlob(deps, { ref, repository }, manifest.config, { signal: options.signal });
  const bytes = await deps.content.readBytes(row.manifestDigest);
  const mediaType = manifest.mediaType ?? row.mediaType ?? MediaType.ociManifest;
  const digest = await repository.putManifest(ref.tag!, { digest: row.manifestDigest, mediaType, bytes }, options);
  setRepoDigest(deps.db, `${fullName(ref)}@${digest}`, row.id);
  return { Tag: ref.tag!, Digest: digest, Size: bytes.length };
}
