import type { Readable } from 'node:stream';
import { invalidArgument, newDigester, type Digest, type OperationOptions } from '../../kernel/index.js';
import {
  chooseManifest,
  parseImageConfig,
  parseManifest,
  type Descriptor,
  type ImageConfig,
  type Manifest,
  type Platform,
} from '../../image/index.js';
import type { FetchedManifest, Repository } from '../../registry/index.js';

/** Configs are small documents; anything bigger is refused like an oversized manifest. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** The one image a pull is about: its manifest for the chosen platform and its config. */
export interface ResolvedImage {
  /** The digest the reference resolved to: the index's when there was one (recorded as RepoDigest). */
  topDigest: Digest;
  manifest: Manifest;
  /** The platform manifest exactly as the registry sent it. */
  fetched: FetchedManifest;
  configBytes: Buffer;
  config: ImageConfig;
}

/**
 * Fetches the manifest for a tag or digest, descends an index to the
 * platform wanted, then fetches and verifies the config. A single manifest
 * whose config names another platform is refused only when the caller
 * asked for a platform explicitly, as Docker does.
 */
export async function resolveImage(
  repository: Repository,
  tagOrDigest: string,
  platform: { want: Platform; explicit: boolean },
  options: OperationOptions,
): Promise<ResolvedImage> {
  const top = await repository.getManifest(tagOrDigest, options);
  let fetched = top;
  let parsed = parseManifest(top.bytes, top.mediaType);
  if (parsed.kind === 'index') {
    const chosen = chooseManifest(parsed.index, platform.want);
    fetched = await repository.getManifest(chosen.digest, options);
    parsed = parseManifest(fetched.bytes, fetched.mediaType);
    if (parsed.kind !== 'manifest') throw invalidArgument(`manifest ${chosen.digest} in the index is itself an index`);
  }
  const manifest = parsed.manifest;
  const configBytes = await readSmallBlob(repository, manifest.config, options);
  const config = parseImageConfig(configBytes);
  if (platform.explicit && !sameOsArch(config, platform.want)) {
    throw invalidArgument(
      `image with reference ${tagOrDigest} was found but does not match the specified platform: ` +
        `wanted ${platform.want.os}/${platform.want.architecture}, actual: ${config.os}/${config.architecture}`,
    );
  }
  return { topDigest: top.digest, manifest, fetched, configBytes, config };
}

function sameOsArch(config: ImageConfig, want: Platform): boolean {
  return config.os === want.os && config.architecture === want.architecture;
}

/** Reads a config (or another small blob) into memory, checking size and digest. */
export async function readSmallBlob(
  repository: Repository,
  descriptor: Descriptor,
  options: OperationOptions,
): Promise<Buffer> {
  if (descriptor.size > MAX_CONFIG_BYTES) {
    throw invalidArgument(`blob ${descriptor.digest} is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  const digester = newDigester();
  const chunks: Buffer[] = [];
  const stream: Readable = repository.openBlob(descriptor, { signal: options.signal });
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    digester.hash.update(buf);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  if (digester.digest() !== descriptor.digest || bytes.length !== descriptor.size) {
    throw invalidArgument(`blob ${descriptor.digest} does not match its digest (got ${digester.digest()})`);
  }
  return bytes;
}
