import { BerthError, notFound, type ChainID, type Digest } from '../../kernel/index.js';
import type { ContentStore } from '../../content/index.js';
import type { Snapshotter } from '../../snapshot/index.js';
import { parseImageConfig, parseManifest, type ImageConfig, type Manifest } from '../../image/index.js';
import {
  familiarString,
  isIdPrefix,
  parseImageId,
  parseReference,
  referenceString,
  withDefaultTag,
  type Reference,
} from '../../reference/index.js';
import {
  countImages,
  findImagesByPrefix,
  totalSnapshotSize,
  getImage,
  getRepoDigest,
  getTag,
  imageLayers,
  repoDigestsOf,
  tagsOf,
  type Db,
  type ImageRow,
} from '../../state/index.js';

/** How Docker names a missing image: a reference in familiar form with its default tag. */
function displayName(s: string): string {
  try {
    return familiarString(withDefaultTag(parseReference(s)));
  } catch {
    return s;
  }
}

/** An image as stored here, with its names and parsed documents. */
export interface StoredImage {
  row: ImageRow;
  config: ImageConfig;
  manifest: Manifest;
  /** Chain IDs, base layer first. */
  layers: ChainID[];
  /** Familiar forms: `busybox:latest`. */
  repoTags: string[];
  repoDigests: string[];
}

/**
 * Looks images up by name or ID the way dockerd does, and reads their
 * documents from the content store. Parsed configs and manifests are
 * immutable, so they are memoised by digest.
 */
export class ImageStore {
  private readonly configs = new Map<Digest, ImageConfig>();
  private readonly manifests = new Map<Digest, Manifest>();

  constructor(
    readonly db: Db,
    readonly content: ContentStore,
  ) {}

  /**
   * Resolves a name, a digest reference, a full ID or an ID prefix. Names are
   * tried before ID prefixes, as Docker does (`abcd` may be a repository).
   */
  resolve(nameOrId: string): ImageRow {
    const id = this.resolveId(nameOrId);
    const row = id && getImage(this.db, id);
    if (!row) throw notFound(`No such image: ${displayName(nameOrId)}`);
    return row;
  }

  private resolveId(s: string): Digest | undefined {
    const full = parseImageId(s);
    if (full) return full;
    let ref: Reference | undefined;
    try {
      ref = parseReference(s);
    } catch (e) {
      if (!isIdPrefix(s)) throw e;
    }
    if (ref) {
      const found = ref.digest
        ? (getRepoDigest(this.db, referenceString({ domain: ref.domain, path: ref.path, digest: ref.digest })) ??
          (getImage(this.db, ref.digest) ? ref.digest : undefined))
        : getTag(this.db, referenceString(withDefaultTag(ref)));
      if (found) return found;
    }
    if (!isIdPrefix(s)) return undefined;
    const matches = findImagesByPrefix(this.db, s);
    if (matches.length > 1) {
      throw new BerthError('invalid-argument', `multiple IDs found with provided prefix: ${s}`);
    }
    return matches[0]?.id;
  }

  count(): number {
    return countImages(this.db);
  }

  /** Bytes of every unpacked layer, each counted once. */
  layersSize(): number {
    return totalSnapshotSize(this.db);
  }

  /** Chain IDs of an image's layers, base first. */
  layersOf(id: Digest): ChainID[] {
    return imageLayers(this.db, id);
  }

  async load(row: ImageRow): Promise<StoredImage> {
    const [config, manifest] = await Promise.all([this.config(row.id), this.manifest(row.manifestDigest)]);
    return {
      row,
      config,
      manifest,
      layers: this.layersOf(row.id),
      repoTags: tagsOf(this.db, row.id).map((t) => familiarString(parseReference(t))),
      repoDigests: repoDigestsOf(this.db, row.id).map((t) => familiarString(parseReference(t))),
    };
  }

  async config(id: Digest): Promise<ImageConfig> {
    let c = this.configs.get(id);
    if (!c) {
      c = parseImageConfig(await this.content.readBytes(id));
      this.configs.set(id, c);
    }
    return c;
  }

  async manifest(digest: Digest): Promise<Manifest> {
    let m = this.manifests.get(digest);
    if (!m) {
      const parsed = parseManifest(await this.content.readBytes(digest));
      if (parsed.kind !== 'manifest') throw new BerthError('internal', `stored manifest ${digest} is an index`);
      m = parsed.manifest;
      this.manifests.set(digest, m);
    }
    return m;
  }
}

/** The snapshot directories of an image, top layer first, for an overlay mount. */
export function lowerDirsOf(deps: { store: ImageStore; snapshotter: Snapshotter }, id: Digest): string[] {
  const layers = deps.store.layersOf(id);
  return layers.length ? deps.snapshotter.lowerDirs(layers[layers.length - 1]!) : [];
}
