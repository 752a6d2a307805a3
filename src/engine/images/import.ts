import type { Readable } from 'node:stream';
import { errorMessage, invalidArgument, type Digest, type OperationOptions } from '../../kernel/index.js';
import { applyConfigChanges, encodeJson, hostPlatform, parsePlatform, type ImageConfig } from '../../image/index.js';
import type { ImageDeps } from './deps.js';
import { underLease } from './lease.js';
import { ingestAndUnpack, type IngestedBlob } from './layer-unpack.js';
import { registerImage, tagImage } from './register.js';

export interface ImportOptions extends OperationOptions {
  /** `repo` or `repo:tag`, as `docker import - repo:tag` sends it. */
  repo?: string;
  tag?: string;
  changes?: readonly string[];
  message?: string;
  platform?: string;
}

/**
 * `docker import`: a root filesystem tarball (plain, gzip or zstd) becomes a
 * one-layer image. Like Docker, the history says "Imported from -".
 */
export async function importImage(deps: ImageDeps, body: Readable, options: ImportOptions = {}): Promise<Digest> {
  const name = options.repo ? (options.tag ? `${options.repo}:${options.tag}` : options.repo) : undefined;
  // Bad change lines are refused before a byte of the body is read.
  const defaults = applyConfigChanges({}, options.changes ?? []);
  const platform = options.platform ? parsePlatform(options.platform) : hostPlatform();
  let ingested: IngestedBlob | undefined;
  return underLease(
    deps,
    async (lease) => {
      ingested = await ingestAndUnpack(body, { ...deps, lease }, { signal: options.signal });
      if (!ingested.layer) {
        throw invalidArgument(`import: not a valid root filesystem tarball: ${errorMessage(ingested.unpackError)}`);
      }
      const created = new Date().toISOString();
      const config: ImageConfig = {
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        created,
        config: defaults,
        rootfs: { type: 'layers', diff_ids: [ingested.layer.diffId] },
        history: [{ created, comment: options.message || 'Imported from -' }],
        ...(options.message ? { comment: options.message } : {}),
      };
      const id = await registerImage(
        deps,
        { configBytes: encodeJson(config), layers: [{ name: 'import', ingested }] },
        lease,
      );
      deps.events.emit('image', 'import', id, name ? { name } : {});
      if (name) tagImage(deps, id, name);
      return id;
    },
    async () => {
      await ingested?.layer?.prepared.abort();
    },
  );
}
