import { invalidArgument, isDigest } from '../kernel/index.js';
import { imageConfigError, imageIndexError, imageManifestError } from '../spec/index.js';
import { isIndexType, isManifestType, isSchema1Type, MediaType } from './media-types.js';
import type { Descriptor, ImageConfig, Index, Manifest } from './types.js';

/** Manifests and configs larger than this are refused, as the distribution registry does. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type ParsedManifest = { kind: 'manifest'; manifest: Manifest } | { kind: 'index'; index: Index };

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  if (bytes.length > MAX_MANIFEST_BYTES) throw invalidArgument(`${what} is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw invalidArgument(`${what} is not valid JSON`, e);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a manifest or index. `mediaType` is what the transport said (a
 * registry's Content-Type); the document's own `mediaType` wins when present.
 */
export function parseManifest(bytes: Uint8Array, mediaType?: string): ParsedManifest {
  const doc = parseJson(bytes, 'manifest');
  const type = typeof doc.mediaType === 'string' ? doc.mediaType : mediaType;
  if (isSchema1Type(type) || doc.schemaVersion === 1) {
    throw invalidArgument(
      'Docker image manifest schema 1 is not supported; push the image again with a current client to convert it',
    );
  }
  if (doc.schemaVersion !== 2) throw invalidArgument('manifest: unsupported schemaVersion');
  if (Array.isArray(doc.manifests) && (type === undefined || isIndexType(type))) {
    const error = imageIndexError(doc);
    if (error) throw invalidArgument(`invalid image index: ${error}`);
    return { kind: 'index', index: doc as unknown as Index };
  }
  if (doc.config !== undefined && Array.isArray(doc.layers) && (type === undefined || isManifestType(type))) {
    // The schema wants at least one layer, but Docker builds layerless images
    // (`FROM scratch` plus metadata): check the rest with the config standing in.
    const layers = doc.layers as unknown[];
    const error = imageManifestError(layers.length ? doc : { ...doc, layers: [doc.config] });
    if (error) throw invalidArgument(`invalid image manifest: ${error}`);
    return { kind: 'manifest', manifest: doc as unknown as Manifest };
  }
  throw invalidArgument(`unsupported manifest media type: ${type ?? 'none'}`);
}

/**
 * Docker writes `null` for unset defaults (`"Env": null` from `docker
 * commit`), which the OCI schema does not allow; Docker and containerd read
 * them as absent, and so does berth. Only the validation sees this copy: the
 * stored bytes, and so the image ID, are untouched.
 */
function withoutNullDefaults(doc: Record<string, unknown>): Record<string, unknown> {
  const config = doc.config;
  if (typeof config !== 'object' || config === null) return config === null ? { ...doc, config: undefined } : doc;
  return { ...doc, config: Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) };
}

/** Parses an image config and checks the fields berth relies on. */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  const doc = parseJson(bytes, 'image config');
  const error = imageConfigError(withoutNullDefaults(doc));
  if (error) throw invalidArgument(`invalid image config: ${error}`);
  // The schema allows any digest algorithm; berth stores sha256 only.
  const diffIDs = (doc as unknown as ImageConfig).rootfs.diff_ids;
  const bad = diffIDs.find((d) => !isDigest(d));
  if (bad !== undefined) throw invalidArgument(`invalid image config: unsupported diff ID ${bad}`);
  return doc as unknown as ImageConfig;
}

/** A manifest that names `config` and uncompressed layers, as berth writes for images it makes or loads. */
export function makeManifest(config: Descriptor, layers: Descriptor[]): Manifest {
  return { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers };
}

/** Serialises a value the way berth stores JSON it makes: compact, stable key order of the literal. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
