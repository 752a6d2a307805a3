import type { Readable } from 'node:stream';
import { invalidArgument, sha256, type Digest, type Lease, type OperationOptions } from '../../kernel/index.js';
import { chooseManifest, hostPlatform, parseManifest, type Descriptor, type Manifest } from '../../image/index.js';
import { familiarString, parseReference, withDefaultTag } from '../../reference/index.js';
import { parseDockerManifestJson } from '../../archive/index.js';
import { discardLayers, readArchiveEntries, resolveEntry, type ArchiveEntries } from './archive-entries.js';
import type { ImageDeps } from './deps.js';
import { underLease } from './lease.js';
import { registerImage, tagImage, type LayerSource } from './register.js';

/** One image found in an archive, before it is registered. */
interface ArchivedImage {
  configBytes: Buffer;
  layerPaths: string[];
  repoTags: string[];
  manifest?: { digest: Digest; mediaType: string };
}

/** The annotation containerd and Docker put on index.json entries: the full image name. */
const CONTAINERD_NAME = 'io.containerd.image.name';
/** The OCI annotation: a tag, or with some tools a full reference. */
const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * `docker load`: reads a docker-archive or OCI-layout tarball, stores its
 * blobs and layers, registers its images and tags. Returns the lines Docker
 * prints (`Loaded image: x`). On failure nothing it added stays.
 */
export async function loadImages(deps: ImageDeps, body: Readable, options: OperationOptions = {}): Promise<string[]> {
  let entries: ArchiveEntries | undefined;
  return underLease(
    deps,
    async (lease) => {
      entries = await readArchiveEntries(
        body,
        { ...deps, lease },
        {
          signal: options.signal,
          onProgress: options.progress
            ? (path, current, total) =>
                options.progress!({ id: shortName(path), status: 'Loading layer', current, total })
            : undefined,
        },
      );
      const images = await findImages(deps, entries);
      if (images.length === 0) throw invalidArgument('invalid archive: no manifest.json or index.json with images');
      const lines: string[] = [];
      for (const image of images) lines.push(...(await registerArchived(deps, entries, image, lease)));
      return lines;
    },
    async () => {
      if (entries) await discardLayers(entries);
    },
  );
}

function shortName(path: string): string {
  const base = path.replace(/^blobs\/sha256\//, '').replace(/\/layer\.tar$/, '');
  return base.slice(0, 12);
}

async function registerArchived(
  deps: ImageDeps,
  entries: ArchiveEntries,
  image: ArchivedImage,
  lease: Lease,
): Promise<string[]> {
  const layers: LayerSource[] = image.layerPaths.map((p) => {
    const path = resolveEntry(entries, p);
    const ingested = entries.blobs.get(path);
    if (!ingested) throw invalidArgument(`invalid archive: layer ${p} is missing`);
    return { name: p, ingested };
  });
  const id = await registerImage(deps, { configBytes: image.configBytes, layers, manifest: image.manifest }, lease);
  const lines: string[] = [];
  for (const tag of image.repoTags) {
    const old = tagImage(deps, id, tag);
    if (old) lines.push(`The image ${tag} already exists, renaming the old one with ID ${old} to empty string`);
    lines.push(`Loaded image: ${tag}`);
  }
  if (image.repoTags.length === 0) lines.push(`Loaded image ID: ${id}`);
  deps.events.emit('image', 'load', id, image.repoTags[0] ? { name: image.repoTags[0] } : {});
  return lines;
}

/** The images an archive describes: manifest.json wins, else the OCI index. */
async function findImages(deps: ImageDeps, entries: ArchiveEntries): Promise<ArchivedImage[]> {
  const manifestJson = entries.metadata.get('manifest.json');
  if (manifestJson) {
    const images: ArchivedImage[] = [];
    for (const m of parseDockerManifestJson(manifestJson)) {
      images.push({
        configBytes: await configFromArchive(deps, entries, m.Config),
        layerPaths: m.Layers,
        repoTags: m.RepoTags ?? [],
      });
    }
    return images;
  }
  const indexJson = entries.metadata.get('index.json');
  if (!indexJson) return [];
  const parsed = parseManifest(indexJson);
  if (parsed.kind !== 'index') throw invalidArgument('invalid OCI layout: index.json is not an index');
  const out: ArchivedImage[] = [];
  for (const desc of parsed.index.manifests) {
    const found = await manifestFor(deps, desc);
    const name = desc.annotations?.[CONTAINERD_NAME] ?? desc.annotations?.[OCI_REF_NAME];
    out.push({
      configBytes: await deps.content.readBytes(found.manifest.config.digest).catch(() => {
        throw invalidArgument(`invalid OCI layout: config blob ${found.manifest.config.digest} is missing`);
      }),
      layerPaths: found.manifest.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
      repoTags: nameFromAnnotation(name),
      manifest: { digest: found.digest, mediaType: found.mediaType },
    });
  }
  return out;
}

/** A bare tag (`latest`) names no repository; only full references become tags. */
function nameFromAnnotation(name: string | undefined): string[] {
  if (!name || !/[:/]/.test(name)) return [];
  try {
    return [familiarString(withDefaultTag(parseReference(name)))];
  } catch {
    return [];
  }
}

/** Reads a manifest blob, descending one index level to this platform's manifest. */
async function manifestFor(
  deps: ImageDeps,
  desc: Descriptor,
): Promise<{ manifest: Manifest; digest: Digest; mediaType: string }> {
  const bytes = await deps.content.readBytes(desc.digest).catch(() => {
    throw invalidArgument(`invalid OCI layout: manifest blob ${desc.digest} is missing`);
  });
  const parsed = parseManifest(bytes, desc.mediaType);
  if (parsed.kind === 'manifest') {
    return { manifest: parsed.manifest, digest: desc.digest, mediaType: parsed.manifest.mediaType ?? desc.mediaType };
  }
  return manifestFor(deps, chooseManifest(parsed.index, hostPlatform()));
}

/** A docker-archive config: a metadata file named `<hex>.json`, or a blob path. */
async function configFromArchive(deps: ImageDeps, entries: ArchiveEntries, path: string): Promise<Buffer> {
  const p = resolveEntry(entries, path);
  const bytes = entries.metadata.get(p);
  if (!bytes) {
    const blob = entries.blobs.get(p);
    if (!blob) throw invalidArgument(`invalid archive: config ${path} is missing`);
    // Configs under blobs/ were ingested and verified like any blob.
    return deps.content.readBytes(blob.blob.digest);
  }
  const named = /([a-f0-9]{64})\.json$/.exec(p)?.[1];
  if (named && sha256(bytes) !== `sha256:${named}`) {
    throw invalidArgument(`invalid archive: config ${path} does not match its digest (got ${sha256(bytes)})`);
  }
  return bytes;
}
