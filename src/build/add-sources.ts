/**
 * ADD's extras over COPY: remote URLs (downloaded with fetch, verified
 * against `--checksum`) and local tar archives, which are unpacked into the
 * destination with the archive module's safe extraction.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { extractLayer, openDecompressed } from '../archive/index.js';
import { BerthError, invalidArgument, newDigester, type Digest } from '../kernel/index.js';
import { copyEntry, type CopyOwnership } from './copy-tree.js';

/** Offset of the `ustar` magic in a tar header block. */
const USTAR_MAGIC_OFFSET = 257;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export interface Download {
  /** The downloaded file (mode 0600, mtime from Last-Modified as Docker sets them). */
  path: string;
  /** File name inside the image when the destination is a directory. */
  name: string;
  digest: Digest;
}

/** Downloads `url` into `dir`; a `checksum` (`sha256:…`) that does not match fails the step. */
export async function download(url: string, dir: string, checksum?: string, signal?: AbortSignal): Promise<Download> {
  const res = await fetch(url, signal ? { signal } : {});
  if (!res.ok || res.body === null) {
    throw invalidArgument(`failed to GET ${url} with status ${res.status} ${res.statusText}`);
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomBytes(8).toString('hex'));
  const d = newDigester();
  const hash = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      d.hash.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body), hash, createWriteStream(path, { mode: 0o600 }));
  const digest = d.digest();
  if (checksum !== undefined && checksum !== digest) {
    throw invalidArgument(`digest mismatch for ${url}: expected ${checksum}, got ${digest}`);
  }
  const modified = Date.parse(res.headers.get('last-modified') ?? '');
  if (!Number.isNaN(modified)) await utimes(path, new Date(modified), new Date(modified));
  const name = posix.basename(new URL(url).pathname) || 'download';
  return { path, name, digest };
}

/** Does `path` hold a tar archive (plain, gzip or zstd)? */
export async function isTarArchive(path: string): Promise<boolean> {
  try {
    const { stream } = await openDecompressed(createReadStream(path));
    const head = await readHead(stream, USTAR_MAGIC_OFFSET + 5);
    return head.subarray(USTAR_MAGIC_OFFSET, USTAR_MAGIC_OFFSET + 5).toString('latin1') === 'ustar';
  } catch {
    return false;
  }
}

async function readHead(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= n) break;
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

/**
 * Unpacks the archive at `path` into the existing directory `destHost`,
 * keeping the archive's owners unless `--chown` was given.
 */
export async function unpackArchiveInto(
  path: string,
  destHost: string,
  scratch: string,
  own: CopyOwnership,
  chowned: boolean,
): Promise<void> {
  const tmp = join(scratch, `unpack-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    const { stream } = await openDecompressed(createReadStream(path));
    await extractLayer(stream, tmp).catch((e: unknown) => {
      throw new BerthError('invalid-argument', `ADD: could not unpack ${posix.basename(path)}`, { cause: e });
    });
    const ownership = chowned ? own : { ...own, preserveOwner: true };
    for (const name of await readdir(tmp))
      await copyEntry(join(tmp, name), name, join(destHost, name), ownership, () => false);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
