import { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { openDecompressed, dockerManifestJson, type DockerArchiveManifest } from '../../archive/index.js';
import { digestHex, sha256, type Digest } from '../../kernel/index.js';
import { MediaType, encodeJson, layerCompression, makeManifest, type Descriptor } from '../../image/index.js';
import { parseReference, referenceString, withDefaultTag } from '../../reference/index.js';
import type { ImageDeps } from './deps.js';
import type { StoredImage } from './image-store.js';

/** The annotation Docker and containerd use for an image's full name in index.json. */
const CONTAINERD_NAME = 'io.containerd.image.name';
const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

interface SaveItem {
  image: StoredImage;
  /** The names asked for that point at this image (familiar form); none when asked by ID. */
  tags: string[];
}

/**
 * `docker save`: one tarball that is both a docker-archive (manifest.json)
 * and an OCI image layout (index.json, blobs/), as Docker 25+ writes it.
 * Layers are written uncompressed, so their blob digest is their diff ID and
 * real Docker, Podman and skopeo all load it. Names are resolved before the
 * first byte is sent, so a bad name is an HTTP error, not a broken stream.
 */
export async function saveImages(deps: ImageDeps, names: readonly string[]): Promise<() => Readable> {
  const items = new Map<Digest, SaveItem>();
  for (const name of names) {
    const row = deps.store.resolve(name);
    const item = items.get(row.id) ?? { image: await deps.store.load(row), tags: [] };
    items.set(row.id, item);
    const tag = asTag(name, item.image);
    if (tag && !item.tags.includes(tag)) item.tags.push(tag);
  }
  return () => {
    const pack = tarPack();
    writeArchive(deps, pack, [...items.values()]).then(
      () => pack.finalize(),
      (e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))),
    );
    // tar-stream's streams are streamx streams; callers get a Node stream.
    return Readable.from(pack);
  };
}

/** When `name` was a reference (not an ID), the familiar tag it names. */
function asTag(name: string, image: StoredImage): string | undefined {
  if (name.startsWith('sha256:') || image.row.id.slice(7).startsWith(name)) return undefined;
  const ref = withDefaultTag(parseReference(name));
  if (ref.digest) return undefined;
  return image.repoTags.find((t) => referenceString(withDefaultTag(parseReference(t))) === referenceString(ref));
}

async function writeArchive(deps: ImageDeps, pack: Pack, items: SaveItem[]): Promise<void> {
  const written = new Set<string>();
  const index: Descriptor[] = [];
  const manifestJson: DockerArchiveManifest[] = [];
  await addDirectory(pack, 'blobs/');
  await addDirectory(pack, 'blobs/sha256/');
  for (const { image, tags } of items) {
    const layerPaths: string[] = [];
    const layerDescs: Descriptor[] = [];
    for (const [i, layer] of image.manifest.layers.entries()) {
      const diffId = image.config.rootfs.diff_ids[i]!;
      const path = `blobs/sha256/${digestHex(diffId)}`;
      const size =
        layerCompression(layer.mediaType) === 'none' ? layer.size : deps.snapshotter.get(image.layers[i]!)!.size;
      if (!written.has(path)) {
        written.add(path);
        await addStream(pack, path, size, await uncompressedBlob(deps, layer));
      }
      layerPaths.push(path);
      layerDescs.push({ mediaType: MediaType.ociLayer, digest: diffId as string as Digest, size });
    }
    const configBytes = await deps.content.readBytes(image.row.id);
    const configPath = `blobs/sha256/${digestHex(image.row.id)}`;
    await addBytesOnce(pack, written, configPath, configBytes);
    const manifest = encodeJson(
      makeManifest({ mediaType: MediaType.ociConfig, digest: image.row.id, size: configBytes.length }, layerDescs),
    );
    const manifestDigest = sha256(manifest);
    await addBytesOnce(pack, written, `blobs/sha256/${digestHex(manifestDigest)}`, manifest);
    const desc = { mediaType: MediaType.ociManifest, digest: manifestDigest, size: manifest.length };
    if (tags.length === 0) index.push(desc);
    for (const tag of tags) {
      const ref = withDefaultTag(parseReference(tag));
      index.push({ ...desc, annotations: { [CONTAINERD_NAME]: referenceString(ref), [OCI_REF_NAME]: ref.tag! } });
    }
    manifestJson.push({ Config: configPath, RepoTags: tags.length ? tags : null, Layers: layerPaths });
  }
  await addBytes(pack, 'index.json', encodeJson({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index }));
  await addBytes(pack, 'manifest.json', dockerManifestJson(manifestJson));
  await addBytes(pack, 'oci-layout', encodeJson({ imageLayoutVersion: '1.0.0' }));
}

async function uncompressedBlob(deps: ImageDeps, layer: Descriptor): Promise<Readable> {
  const raw = deps.content.readStream(layer.digest);
  return layerCompression(layer.mediaType) === 'none' ? raw : (await openDecompressed(raw)).stream;
}

const EPOCH = new Date(0);

function addDirectory(pack: Pack, name: string): Promise<void> {
  return new Promise((resolve, reject) =>
    pack.entry({ name, type: 'directory', mode: 0o755, mtime: EPOCH }, (e) => (e ? reject(e) : resolve())),
  );
}

function addBytes(pack: Pack, name: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    pack.entry({ name, mode: 0o644, mtime: EPOCH }, bytes, (e) => (e ? reject(e) : resolve())),
  );
}

async function addBytesOnce(pack: Pack, written: Set<string>, name: string, bytes: Buffer): Promise<void> {
  if (written.has(name)) return;
  written.add(name);
  await addBytes(pack, name, bytes);
}

function addStream(pack: Pack, name: string, size: number, source: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ name, size, mode: 0o644, mtime: EPOCH }, (e) => (e ? reject(e) : resolve()));
    source.once('error', (e) => {
      entry.destroy(e);
      reject(e);
    });
    source.pipe(entry);
  });
}
