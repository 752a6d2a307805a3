import { randomUUID } from 'node:crypto';
import {
  errorMessage,
  invalidArgument,
  isBerthError,
  notFound,
  type Digest,
  type OperationOptions,
  type ProgressSink,
} from '../../kernel/index.js';
import { hostPlatform, parsePlatform, type Platform } from '../../image/index.js';
import {
  familiarName,
  familiarString,
  fullName,
  parseReference,
  withDefaultTag,
  type Reference,
} from '../../reference/index.js';
import type { Credentials, Repository } from '../../registry/index.js';
import { addBlobSources, deleteDurableLease, getImage, getTag, setRepoDigest } from '../../state/index.js';
import type { DistributionDeps } from './distribution.js';
import { underLease } from './lease.js';
import { pullLayers } from './pull-layers.js';
import { resolveImage, type ResolvedImage } from './pull-manifest.js';
import { registerImage, tagImage } from './register.js';

export interface PullOptions extends OperationOptions {
  /** `os/arch[/variant]`; default this host's. */
  platform?: string;
  credentials?: Credentials;
}

/**
 * `docker pull`: resolves the reference on its registry, brings the image's
 * layers in (see pullLayers), registers the image and records its tag and
 * repo digest. Errors before the first progress event (unknown manifest,
 * unauthorized) reach the client as a plain HTTP error. Returns the image ID.
 */
export async function pullImage(deps: DistributionDeps, name: string, options: PullOptions = {}): Promise<Digest> {
  const ref = pullReference(name);
  const progress: ProgressSink = options.progress ?? (() => {});
  const repository = deps.registry.repository(ref, options.credentials);
  const tagOrDigest = ref.digest ?? ref.tag!;
  const resolved = await resolveImage(repository, tagOrDigest, choosePlatform(options.platform), options).catch(
    (e: unknown) => {
      throw accessDenied(ref, e);
    },
  );
  progress({ id: tagOrDigest, status: `Pulling from ${ref.path}` });
  const id = resolved.manifest.config.digest;
  const fresh = !getImage(deps.db, id);
  if (fresh) await storePulled(deps, ref, resolved, { ...options, progress, repository });
  const tagged = ref.tag !== undefined && !ref.digest ? getTag(deps.db, fullRef(ref)) : undefined;
  recordNames(deps, ref, resolved, id);
  progress({ status: `Digest: ${resolved.topDigest}` });
  const upToDate = !fresh && (ref.digest !== undefined || tagged === id);
  const verb = upToDate ? 'Image is up to date for' : 'Downloaded newer image for';
  progress({ status: `Status: ${verb} ${familiarString(ref)}` });
  deps.events.emit('image', 'pull', id, { name: familiarString(ref) });
  return id;
}

/**
 * Docker reports a refused pull as not found ("pull access denied ..."),
 * never as 401: the docker CLI answers a 401 by prompting for a login.
 */
function accessDenied(ref: Reference, e: unknown): unknown {
  if (!isBerthError(e, 'unauthorized') && !isBerthError(e, 'forbidden')) return e;
  const message = `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': ${errorMessage(e)}`;
  return notFound(message, e);
}

/** A reference that names a registry: `busybox` → `docker.io/library/busybox:latest`. */
function pullReference(name: string): Reference {
  const ref = withDefaultTag(parseReference(name));
  if (ref.domain === '') throw invalidArgument(`invalid reference format: ${name} names no registry`);
  return ref;
}

function choosePlatform(platform: string | undefined): { want: Platform; explicit: boolean } {
  return platform ? { want: parsePlatform(platform), explicit: true } : { want: hostPlatform(), explicit: false };
}

function fullRef(ref: Reference): string {
  return `${fullName(ref)}:${ref.tag}`;
}

/** Layers, config and manifest into the store, then the image row; all under one lease. */
async function storePulled(
  deps: DistributionDeps,
  ref: Reference,
  resolved: ResolvedImage,
  options: PullOptions & { progress: ProgressSink; repository: Repository },
): Promise<void> {
  const durableLease = `pull-${randomUUID()}`;
  await underLease(deps, async (lease) => {
    await pullLayers(deps, {
      repository: options.repository,
      layers: resolved.manifest.layers,
      diffIds: resolved.config.rootfs.diff_ids,
      lease,
      durableLease,
      signal: options.signal,
      progress: options.progress,
    });
    const manifest = await deps.content.ingestBytes(resolved.fetched.bytes, { digest: resolved.fetched.digest });
    lease.add(manifest.digest);
    await registerImage(
      deps,
      {
        configBytes: resolved.configBytes,
        layers: resolved.manifest.layers.map((stored) => ({ name: stored.digest, stored })),
        manifest: { digest: manifest.digest, mediaType: resolved.fetched.mediaType },
      },
      lease,
    );
  });
  // The image now holds its layers; the crash-time lease is no longer needed.
  deleteDurableLease(deps.db, durableLease);
  const digests = resolved.manifest.layers.map((l) => l.digest);
  addBlobSources(deps.db, digests, { domain: ref.domain, repository: ref.path });
}

/** The tag (when pulled by tag) and `repo@digest`, as Docker records both. */
function recordNames(deps: DistributionDeps, ref: Reference, resolved: ResolvedImage, id: Digest): void {
  if (ref.tag !== undefined && !ref.digest) tagImage(deps, id, fullRef(ref));
  setRepoDigest(deps.db, `${fullName(ref)}@${resolved.topDigest}`, id);
}
