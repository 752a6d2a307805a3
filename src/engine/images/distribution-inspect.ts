import { invalidArgument, type OperationOptions } from '../../kernel/index.js';
import { parseImageConfig, parseManifest, type Descriptor, type Platform } from '../../image/index.js';
import { parseReference, withDefaultTag } from '../../reference/index.js';
import type { Credentials } from '../../registry/index.js';
import type { DistributionDeps } from './distribution.js';
import { readSmallBlob } from './pull-manifest.js';

/** `GET /distribution/{name}/json`: what the registry has under a name, and for which platforms. */
export interface DistributionInspectView {
  Descriptor: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;
  Platforms: Platform[];
}

/**
 * Looks a reference up on its registry without pulling: the manifest's
 * descriptor and its platforms (an index's entries, or a single manifest's
 * config), as `docker manifest inspect` and `docker service create` use it.
 */
export async function inspectDistribution(
  deps: DistributionDeps,
  name: string,
  options: OperationOptions & { credentials?: Credentials } = {},
): Promise<DistributionInspectView> {
  const ref = withDefaultTag(parseReference(name));
  if (ref.domain === '') throw invalidArgument(`invalid reference format: ${name} names no registry`);
  const repository = deps.registry.repository(ref, options.credentials);
  const fetched = await repository.getManifest(ref.digest ?? ref.tag!, options);
  const descriptor = { mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.bytes.length };
  const parsed = parseManifest(fetched.bytes, fetched.mediaType);
  if (parsed.kind === 'index') {
    const platforms = parsed.index.manifests.flatMap((m) => (m.platform ? [m.platform] : []));
    return { Descriptor: descriptor, Platforms: platforms };
  }
  const config = parseImageConfig(await readSmallBlob(repository, parsed.manifest.config, options));
  const platform: Platform = { architecture: config.architecture, os: config.os };
  if (config.variant) platform.variant = config.variant;
  return { Descriptor: descriptor, Platforms: [platform] };
}
