import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

/** A file in a test layer: content, or a directory, symlink or whiteout marker. */
export type FileSpec =
  | { name: string; content: string | Buffer; mode?: number }
  | { name: string; type: 'directory' }
  | { name: string; type: 'symlink'; target: string };

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Packs files into an in-memory tar (a layer or a rootfs). */
export async function packTar(files: FileSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const f of files) {
    const mtime = new Date(1_700_000_000_000);
    await new Promise<void>((res, rej) => {
      const cb = (e?: Error | null) => (e ? rej(e) : res());
      if ('content' in f) pack.entry({ name: f.name, mode: f.mode ?? 0o644, mtime }, f.content, cb);
      else if (f.type === 'directory') pack.entry({ name: f.name, type: 'directory', mode: 0o755, mtime }, cb);
      else pack.entry({ name: f.name, type: 'symlink', linkname: f.target, mtime }, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** The busybox rootfs `npm start` makes: /bin/busybox plus one symlink per applet. */
export async function busyboxRootfs(): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  const { execFileSync } = await import('node:child_process');
  const applets = execFileSync('/bin/busybox', ['--list'])
    .toString()
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  return packTar([
    { name: 'bin', type: 'directory' },
    { name: 'bin/busybox', content: await readFile('/bin/busybox'), mode: 0o755 },
    ...applets.map((a) => ({ name: `bin/${a}`, type: 'symlink' as const, target: 'busybox' })),
    { name: 'etc', type: 'directory' },
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
  ]);
}

export interface ArchiveImage {
  tags: string[];
  layers: Buffer[];
  config?: Record<string, unknown>;
}

/** The image config for a list of uncompressed layers. */
function configFor(layers: Buffer[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha256Hex(l)}`) },
      history: layers.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'test' })),
      ...extra,
    }),
  );
}

/**
 * Writes a legacy-style docker-archive (`<hex>.json`, `<n>/layer.tar`,
 * manifest.json) and returns each image's ID. `corrupt` lets tests break it.
 */
export async function dockerArchive(
  images: ArchiveImage[],
  corrupt: { entries?: (name: string, data: Buffer) => Buffer; manifest?: (m: unknown[]) => unknown[] } = {},
): Promise<{ tar: Buffer; ids: string[] }> {
  const files: FileSpec[] = [];
  const manifest: unknown[] = [];
  const ids: string[] = [];
  images.forEach((img, i) => {
    const config = configFor(img.layers, img.config);
    const hex = sha256Hex(config);
    ids.push(`sha256:${hex}`);
    const layerPaths = img.layers.map((_, j) => `${i}-${j}/layer.tar`);
    img.layers.forEach((l, j) => files.push({ name: layerPaths[j]!, content: l }));
    files.push({ name: `${hex}.json`, content: config });
    manifest.push({ Config: `${hex}.json`, RepoTags: img.tags, Layers: layerPaths });
  });
  files.push({
    name: 'manifest.json',
    content: JSON.stringify(corrupt.manifest ? corrupt.manifest(manifest) : manifest),
  });
  const patched = files.map((f) =>
    'content' in f && corrupt.entries ? { ...f, content: corrupt.entries(f.name, Buffer.from(f.content)) } : f,
  );
  return { tar: await packTar(patched), ids };
}

/**
 * A large docker-archive on disk: `layers` layers of `layerBytes` random
 * (incompressible) bytes each, written as a stream so memory stays flat.
 */
export async function largeArchive(path: string, layers: number, layerBytes: number): Promise<string> {
  const pack = tar.pack();
  const out = pipeline(Readable.from(pack), createWriteStream(path));
  const layerTars: Buffer[] = [];
  const diffIds: string[] = [];
  for (let i = 0; i < layers; i++) {
    const data = randomBytes(layerBytes);
    const layer = await packTar([{ name: `data${i}.bin`, content: data }]);
    layerTars.push(layer);
    diffIds.push(sha256Hex(layer));
    await new Promise<void>((res, rej) => pack.entry({ name: `${i}/layer.tar` }, layer, (e) => (e ? rej(e) : res())));
  }
  const config = configFor(layerTars);
  const hex = sha256Hex(config);
  const manifest = [
    { Config: `${hex}.json`, RepoTags: ['large:latest'], Layers: layerTars.map((_, i) => `${i}/layer.tar`) },
  ];
  for (const [name, content] of [
    [`${hex}.json`, config],
    ['manifest.json', Buffer.from(JSON.stringify(manifest))],
  ] as const) {
    await new Promise<void>((res, rej) => pack.entry({ name }, content, (e) => (e ? rej(e) : res())));
  }
  pack.finalize();
  await out;
  return `sha256:${hex}`;
}

/** Counts what a data root holds: committed blobs, snapshot directories, partial ingests. */
export async function storeCounts(dataRoot: string): Promise<{ blobs: number; snapshots: number; ingest: number }> {
  const count = async (dir: string) => (await readdir(dir).catch(() => [])).length;
  return {
    blobs: await count(join(dataRoot, 'content/blobs/sha256')),
    snapshots: await count(join(dataRoot, 'snapshots')),
    ingest: await count(join(dataRoot, 'content/ingest')),
  };
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/** How a layer is stored in a hand-made OCI layout. */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

function compress(data: Buffer, how: LayerCompression): Buffer {
  if (how === 'gzip') return gzipSync(data);
  if (how === 'zstd') return execFileSync('zstd', ['-q', '-c'], { input: data });
  return data;
}

const LAYER_MEDIA_TYPE: Record<LayerCompression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/**
 * Writes an OCI image layout by hand: the layers (stored as `compression`
 * says), their config, a manifest and index.json naming it `refName`.
 * Returns the image ID.
 */
export async function ociLayout(
  dir: string,
  layers: FileSpec[][],
  options: { compression?: LayerCompression[]; refName?: string } = {},
): Promise<string> {
  const blobs = join(dir, 'blobs/sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (b: Buffer) => {
    const hex = sha256Hex(b);
    await writeFile(join(blobs, hex), b);
    return { digest: `sha256:${hex}`, size: b.length };
  };
  const tars = await Promise.all(layers.map((l) => packTar(l)));
  const config = configFor(tars);
  const layerDescs = [];
  for (const [i, t] of tars.entries()) {
    const how = options.compression?.[i] ?? 'none';
    layerDescs.push({ mediaType: LAYER_MEDIA_TYPE[how], ...(await put(compress(t, how))) });
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await put(config)) },
      layers: layerDescs,
    }),
  );
  const m = await put(manifest);
  const annotations = { 'org.opencontainers.image.ref.name': options.refName ?? 'test' };
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations }],
    }),
  );
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return `sha256:${sha256Hex(config)}`;
}
