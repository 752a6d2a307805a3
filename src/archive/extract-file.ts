/**
 * Writing a regular file's data. Why two paths: measured on this machine kind,
 * each async fs call costs a libuv thread-pool round trip (tens to hundreds of
 * microseconds, far more under CPU load) against a few microseconds for the
 * system call itself, so a small file's six calls (open, write, chown, chmod,
 * utimes, close) were dominated by hand-offs: 20,000 files of 0.1-9 KB took
 * 9.3 s with async calls, 3.3 s with these synchronous ones, GNU tar 1.6-2.9 s
 * (2 vCPUs, loaded, noisy). Small files are therefore buffered (they are
 * small by definition) and written with synchronous calls on one fd; large
 * files stream through an async write stream, where data dominates and the
 * parser runs ahead of the disk.
 */
import { closeSync, constants, fchmodSync, fchownSync, futimesSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** An entry's file data as tar-stream yields it. */
export type EntryData = AsyncIterable<Uint8Array>;

export interface FileAttributes {
  uid: number;
  gid: number;
  mode: number;
  atime: number;
  mtime: number;
}

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
/** O_EXCL|O_NOFOLLOW: never opens an existing file, never through a final symlink (libuv adds O_CLOEXEC). */
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
/** Files up to this size are buffered and written synchronously. */
export const SMALL_FILE_MAX = 256 << 10;
/** Lets the parser run ahead of the disk by this much for a large file. */
const WRITE_BUFFER = 1 << 20;

/** Reads a small entry's data whole. */
export async function readSmall(data: EntryData): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of data) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Creates `path` (O_EXCL) with `bytes`, then owner, mode, xattrs (via
 * `setXattrs`) and times on the same fd. Order matters: writing and chown
 * clear setuid/setgid and file capabilities, so mode and xattrs come last.
 */
export function writeSmallFile(path: string, bytes: Uint8Array, attrs: FileAttributes, setXattrs: () => void): void {
  const fd = openSync(path, CREATE_FLAGS, 0o600);
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    fchownSync(fd, attrs.uid, attrs.gid);
    fchmodSync(fd, attrs.mode);
    setXattrs();
    futimesSync(fd, attrs.atime, attrs.mtime);
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` (O_EXCL) and streams `data` into it; the caller sets metadata afterwards. */
export async function streamLargeFile(path: string, data: EntryData): Promise<void> {
  const fh = await open(path, CREATE_FLAGS, 0o600);
  // The write stream owns the handle and closes it, even on error; but
  // pipeline settles on an error before that close completes, so wait for it:
  // a caller that gives up (abort) must not leave the fd open behind it.
  const out = fh.createWriteStream({ highWaterMark: WRITE_BUFFER });
  try {
    await pipeline(chunksOf(data), out);
  } finally {
    if (!out.closed) await once(out, 'close');
  }
}

/**
 * tar-stream's entries are streamx streams, which Node's pipeline cannot watch
 * reliably (one destroyed before the pipeline starts leaves it waiting for a
 * 'close' that already happened); streamx's own iterator knows its state.
 */
async function* chunksOf(data: EntryData): AsyncGenerator<Uint8Array> {
  yield* data;
}
