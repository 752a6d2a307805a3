import type { Readable } from 'node:stream';
import { digestHex, type Digest, type DiffID } from '../../kernel/index.js';
import { encodeJson, type ImageConfig } from '../../image/index.js';
import type { ImageDeps } from './deps.js';
import type { StoredImage } from './image-store.js';
import { underLease } from './lease.js';
import { ingestAndUnpack, type IngestedBlob } from './layer-unpack.js';
import { registerImage, type LayerSource } from './register.js';

export interface AppendLayerInput {
  /** The image the new one extends; null for one from scratch. */
  parent: StoredImage | null;
  /** An uncompressed layer tar to add on top; none for a config-only change. */
  layer?: Readable;
  /** The new config, given the full diff ID list (the parent's, plus the new layer's). */
  makeConfig(diffIds: DiffID[]): ImageConfig;
}

/**
 * A new image made of a parent's layers plus at most one new layer, with a
 * new config: what `docker commit` and every build step produce. The parent
 * is untouched (a new value, STYLE.md §1.5); the new image's `parent` is it.
 */
export async function appendLayerImage(deps: ImageDeps, input: AppendLayerInput): Promise<Digest> {
  const { parent } = input;
  let ingested: IngestedBlob | undefined;
  return underLease(
    deps,
    async (lease) => {
      const diffIds = [...(parent?.config.rootfs.diff_ids ?? [])];
      const layers: LayerSource[] = (parent?.manifest.layers ?? []).map((stored) => ({
        name: digestHex(stored.digest).slice(0, 12),
        stored,
      }));
      if (input.layer) {
        ingested = await ingestAndUnpack(input.layer, { ...deps, lease });
        if (!ingested.layer) throw new Error(`the new layer did not pack: ${String(ingested.unpackError)}`);
        diffIds.push(ingested.layer.diffId);
        layers.push({ name: 'new layer', ingested });
      }
      const config = input.makeConfig(diffIds);
      return registerImage(deps, { configBytes: encodeJson(config), layers, parent: parent?.row.id ?? null }, lease);
    },
    async () => {
      await ingested?.layer?.prepared.abort();
    },
  );
}
