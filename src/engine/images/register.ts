import {
  chainIDs,
  invalidArgument,
  sha256,
  type ChainID,
  type Digest,
  type DiffID,
  type Lease,
} from '../../kernel/index.js';
import { MediaType, encodeJson, makeManifest, parseImageConfig, type Descriptor } from '../../image/index.js';
import type { BlobInfo } from '../../content/index.js';
import { familiarString, parseReference, referenceString, withDefaultTag } from '../../reference/index.js';
import { getTag, putImage, setTag } from '../../state/index.js';
import type { ImageDeps } from './deps.js';
import { checkDiffId, unpackedLayerOf, unpackLayer, type IngestedBlob } from './layer-unpack.js';

/**
 * A layer of an image being registered: one arriving (its blob, unpacked
 * into a prepared snapshot) or one this store has already (a parent image's
 * layer, named by its stored descriptor).
 */
export type LayerSource =
  | {
      /** For messages: the archive path or the layer's short ID. */
      name: string;
      ingested: IngestedBlob;
      /** Set once this unpacked snapshot has been committed under some chain ID. */
      used?: boolean;
    }
  | { name: string; stored: Descriptor };

export interface NewImageInput {
  configBytes: Buffer;
  layers: LayerSource[];
  /** The manifest as received (OCI layout, registry); made up when absent. */
  manifest?: { digest: Digest; mediaType: string };
  parent?: Digest | null;
}

const LAYER_TYPE = { none: MediaType.ociLayer, gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd } as const;

/**
 * Makes an image visible: checks the layers against the config's diff IDs,
 * commits their snapshots by chain ID, stores config and manifest, then
 * records the image row. Files first, row last (DESIGN.md §3).
 */
export async function registerImage(deps: ImageDeps, input: NewImageInput, lease: Lease): Promise<Digest> {
  const config = parseImageConfig(input.configBytes);
  const configInfo = await deps.content.ingestBytes(input.configBytes);
  lease.add(configInfo.digest);
  const diffIDs = config.rootfs.diff_ids;
  if (diffIDs.length !== input.layers.length) {
    throw invalidArgument(`image config lists ${diffIDs.length} layers but the manifest has ${input.layers.length}`);
  }
  const chain = chainIDs(diffIDs);
  let size = 0;
  for (const [i, layer] of input.layers.entries()) {
    lease.add(chain[i]!);
    size += await ensureSnapshot(deps, layer, diffIDs[i]!, chain[i]!, i === 0 ? null : chain[i - 1]!);
  }
  const manifest = input.manifest ?? (await storeManifest(deps, configInfo, input.layers, lease));
  const id = configInfo.digest;
  putImage(deps.db, {
    id,
    manifestDigest: manifest.digest,
    mediaType: manifest.mediaType,
    parent: input.parent ?? null,
    created: config.created ?? null,
    size,
    layers: chain,
  });
  return id;
}

/** Commits (or finds) the snapshot for one layer; returns its uncompressed size. */
async function ensureSnapshot(
  deps: ImageDeps,
  layer: LayerSource,
  diffId: DiffID,
  chainId: ChainID,
  parent: ChainID | null,
): Promise<number> {
  if ('stored' in layer) {
    const existing = deps.snapshotter.get(chainId);
    if (!existing) throw invalidArgument(`layer ${layer.name} is not in the store`);
    return existing.size;
  }
  const { ingested } = layer;
  let unpacked = unpackedLayerOf(ingested, layer.name);
  // Verified even when the snapshot exists: the archive must hold what its config says.
  checkDiffId(unpacked, layer.name, diffId);
  const existing = deps.snapshotter.get(chainId);
  if (existing) return existing.size;
  if (layer.used) {
    // The same layer under a second parent: unpack it again from the stored blob.
    const again = await unpackLayer(deps.content.readStream(ingested.blob.digest), deps);
    unpacked = again;
  }
  layer.used = true;
  await unpacked.prepared.commit({ chainId, parent, diffId, size: unpacked.size });
  return unpacked.size;
}

async function storeManifest(
  deps: ImageDeps,
  config: BlobInfo,
  layers: LayerSource[],
  lease: Lease,
): Promise<{ digest: Digest; mediaType: string }> {
  const configDesc: Descriptor = { mediaType: MediaType.ociConfig, ...config };
  const layerDescs: Descriptor[] = layers.map((layer) =>
    'stored' in layer
      ? layer.stored
      : {
          mediaType: LAYER_TYPE[layer.ingested.compression],
          digest: layer.ingested.blob.digest,
          size: layer.ingested.blob.size,
        },
  );
  const bytes = encodeJson(makeManifest(configDesc, layerDescs));
  const info = await deps.content.ingestBytes(bytes, { digest: sha256(bytes) });
  lease.add(info.digest);
  return { digest: info.digest, mediaType: MediaType.ociManifest };
}

/**
 * Points `name` at `id`. Returns the image the tag pointed at before, when
 * that was another one (Docker then reports it renamed to "").
 */
export function tagImage(deps: ImageDeps, id: Digest, name: string): Digest | undefined {
  const ref = withDefaultTag(parseReference(name));
  if (ref.digest) throw invalidArgument('refusing to create a tag with a digest reference');
  const full = referenceString(ref);
  const before = getTag(deps.db, full);
  setTag(deps.db, full, id);
  deps.events.emit('image', 'tag', id, { name: familiarString(ref) });
  return before && before !== id ? before : undefined;
}
