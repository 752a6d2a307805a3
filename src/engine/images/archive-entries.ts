import { posix } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract, type Header } from 'tar-stream';
import { openDecompressed } from '../../archive/index.js';
import { invalidArgument, type Digest, type Lease } from '../../kernel/index.js';
import type { ContentStore } from '../../content/index.js';
import { ingestAndUnpack, type IngestedBlob, type UnpackDeps } from './layer-unpack.js';

/** Files that are metadata of an image archive: read into memory, never layers. */
const METADATA_FILE = /(^|\/)(manifest\.json|index\.json|oci-layout|repositories|[^/]*\.json|json|VERSION)$/;
const METADATA_MAX = 8 << 20;
/** `blobs/sha256/<hex>`: the name states the digest, which ingest then verifies. */
const BLOB_PATH = /^blobs\/sha256\/([a-f0-9]{64})$/;

/** What an image archive held, by normalised path. */
export interface ArchiveEntries {
  metadata: Map<string, Buffer>;
  blobs: Map<string, IngestedBlob>;
  /** Symlinks inside the archive (legacy format links repeated layers). */
  links: Map<string, string>;
}

export interface EntryProgress {
  (path: string, current: number, total: number): void;
}

function normalise(name: string): string {
  return posix
    .normalize(name)
    .replace(/^(\.\/)+/, '')
    .replace(/\/$/, '');
}

/**
 * Reads an image archive (docker-archive, OCI layout, or both as `docker
 * save` writes them; plain or compressed) in one pass: metadata into memory,
 * every other file into the content store and, when it is a layer, into a
 * prepared snapshot.
 */
export async function readArchiveEntries(
  body: Readable,
  deps: UnpackDeps & { content: ContentStore; lease: Lease },
  options: { signal?: AbortSignal; onProgress?: EntryProgress } = {},
): Promise<ArchiveEntries> {
  const entries: ArchiveEntries = { metadata: new Map(), blobs: new Map(), links: new Map() };
  const { stream } = await openDecompressed(body);
  const extract = tarExtract();
  const parsing = pipeline(stream, extract, options.signal ? { signal: options.signal } : {});
  let current: Readable | undefined;
  // A truncated archive fails the parser, not always the entry being read: pass it on.
  parsing.catch((e: unknown) => current?.destroy(e instanceof Error ? e : new Error(String(e))));
  try {
    for await (const entry of extract) {
      current = Readable.from(entry);
      // Errors reach readEntry through its pipelines; this keeps an error that
      // lands before they are attached from being an unhandled 'error' event.
      current.on('error', () => {});
      await readEntry(entry.header, current, entries, deps, options);
    }
    await parsing;
  } catch (e) {
    extract.destroy();
    await discardLayers(entries);
    if (e instanceof Error && /tar|header|Unexpected end/i.test(e.message)) {
      throw invalidArgument(`invalid tar archive: ${e.message}`, e);
    }
    throw e;
  }
  return entries;
}

async function readEntry(
  header: Header,
  entry: Readable,
  entries: ArchiveEntries,
  deps: UnpackDeps & { content: ContentStore; lease: Lease },
  options: { signal?: AbortSignal; onProgress?: EntryProgress },
): Promise<void> {
  const path = normalise(header.name);
  if (header.type === 'symlink' || header.type === 'link') {
    const target = header.type === 'symlink' ? posix.join(posix.dirname(path), header.linkname ?? '') : header.linkname;
    entries.links.set(path, normalise(target ?? ''));
    entry.resume();
    return;
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    entry.resume();
    return;
  }
  const total = header.size ?? 0;
  if (METADATA_FILE.test(path) && total <= METADATA_MAX && !BLOB_PATH.test(path)) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    entries.metadata.set(path, Buffer.concat(chunks));
    return;
  }
  const hex = BLOB_PATH.exec(path)?.[1];
  const source = options.onProgress ? withProgress(entry, total, (n) => options.onProgress!(path, n, total)) : entry;
  const blob = await ingestAndUnpack(source, deps, {
    expected: hex ? { digest: `sha256:${hex}` as Digest, size: total } : { size: total },
    signal: options.signal,
  });
  entries.blobs.set(path, blob);
}

/** Passes bytes through, reporting the running count every MiB and at the end. */
function withProgress(entry: Readable, total: number, report: (current: number) => void): Readable {
  let current = 0;
  let reported = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      current += chunk.length;
      if (current - reported >= 1 << 20 || current === total) {
        reported = current;
        report(current);
      }
      cb(null, chunk);
    },
  });
  entry.once('error', (e) => counter.destroy(e));
  return entry.pipe(counter);
}

/** Follows archive symlinks to the entry they name. */
export function resolveEntry(entries: ArchiveEntries, path: string): string {
  let p = normalise(path);
  for (let hops = 0; entries.links.has(p) && hops < 16; hops++) p = entries.links.get(p)!;
  return p;
}

/** Removes every prepared snapshot that was not committed. */
export async function discardLayers(entries: ArchiveEntries): Promise<void> {
  await Promise.all([...entries.blobs.values()].map(async (b) => b.layer?.prepared.abort()));
}
