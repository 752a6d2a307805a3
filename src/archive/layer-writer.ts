/**
 * An overlayfs upper directory (a container's writable layer) as an OCI layer
 * tar: the reverse of extraction. overlayfs whiteouts (0/0 character devices)
 * become `.wh.<name>` entries and opaque directories gain `.wh..wh..opq`
 * (image-spec layer.md, "Whiteouts"). Output is deterministic: the same upper
 * gives the same bytes, hence the same diff ID.
 */
import { closeSync, constants, fstatSync, openSync, read, readlinkSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { BerthError, conflict, isErrno, lgetxattr, llistxattr } from '../kernel/index.js';
import { BLOCK, encodeHeader, padding, TypeFlag, type EntryHeader } from './layer-writer-header.js';
import { majorMinor, walkUpper, type UpperEntry } from './layer-writer-walk.js';

export interface WriteLayerOptions {
  signal?: AbortSignal;
}

/** Prefix of an OCI whiteout entry. */
const WHITEOUT_PREFIX = '.wh.';
/** The OCI opaque-directory marker entry. */
const OPAQUE_WHITEOUT = '.wh..wh..opq';
/** overlayfs bookkeeping (opaque, origin, impure, redirect...): meaningless outside this mount. */
const OVERLAY_XATTR_PREFIX = 'trusted.overlay.';
/** The host's SELinux label, not image content; the runtime labels the container itself. */
const SELINUX_XATTR = 'security.selinux';
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
/** Headers and small files are gathered into chunks of about this size. */
const CHUNK = 64 << 10;
/** Files up to this size are read with one synchronous call (see extract-file.ts for why). */
const SMALL_FILE_MAX = 256 << 10;
const READ_SIZE = 1 << 20;
const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;
const readAsync = promisify(read);
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Streams `upperDir` as an uncompressed layer tar. Regular files, directories,
 * symlinks, hardlinks (an inode met twice within the upper), devices and
 * fifos keep owner, mode, whole-second mtime and xattrs (PAX
 * `SCHILY.xattr.*`, except overlayfs' own and the SELinux label); sockets are
 * skipped as tar cannot hold them. The upper must not change while it is
 * read (pause or stop the container): a file whose size changes fails the
 * stream with `conflict`. Aborting `signal` fails it with `canceled`.
 */
export function writeLayerTar(upperDir: string, options: WriteLayerOptions = {}): Readable {
  return Readable.from(layerChunks(upperDir, options.signal), { objectMode: false, highWaterMark: CHUNK });
}

async function* layerChunks(upperDir: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const out = new Chunker();
  const linked = new Map<string, string>();
  for (const entry of walkUpper(upperDir)) {
    checkAborted(signal);
    if (entry.kind === 'socket') continue;
    if (entry.kind === 'file') {
      const first = firstLink(linked, entry);
      if (first === undefined) yield* fileEntry(entry, out, signal);
      else out.add(encodeHeader(linkHeader(entry, first)));
    } else {
      out.add(encodeHeader(otherHeader(entry, linked)));
      if (entry.opaque) out.add(encodeHeader(opaqueMarker(entry)));
    }
    if (out.full()) yield out.take();
  }
  out.add(END_OF_ARCHIVE);
  yield out.take();
}

/** The path that first held this inode in the walk, or undefined (and it is recorded) if this is the first. */
function firstLink(linked: Map<string, string>, entry: UpperEntry): string | undefined {
  // overlayfs shares one inode among its whiteouts, so they never get here.
  if (entry.stat.nlink < 2n) return undefined;
  const key = `${entry.stat.dev}:${entry.stat.ino}`;
  const first = linked.get(key);
  if (first === undefined) linked.set(key, entry.path);
  return first;
}

function otherHeader(entry: UpperEntry, linked: Map<string, string>): EntryHeader {
  switch (entry.kind) {
    case 'whiteout':
      return { ...baseHeader(entry, TypeFlag.file), name: whiteoutName(entry.path), mode: 0o600, xattrs: [] };
    case 'dir':
      return { ...baseHeader(entry, TypeFlag.dir), name: `${entry.path}/` };
    case 'symlink':
      return { ...baseHeader(entry, TypeFlag.symlink), linkname: readTarget(entry.abs) };
    default: {
      const first = firstLink(linked, entry);
      if (first !== undefined) return linkHeader(entry, first);
      const type = entry.kind === 'fifo' ? TypeFlag.fifo : entry.kind === 'block' ? TypeFlag.block : TypeFlag.char;
      const { major, minor } = majorMinor(entry.stat.rdev);
      return { ...baseHeader(entry, type), devmajor: major, devminor: minor };
    }
  }
}

/** A second name for an inode already written: extraction links it, so its own metadata is moot. */
function linkHeader(entry: UpperEntry, first: string): EntryHeader {
  return { ...baseHeader(entry, TypeFlag.link), linkname: first, xattrs: [] };
}

function readTarget(abs: string): string {
  const raw = readlinkSync(abs, 'buffer');
  try {
    return decoder.decode(raw);
  } catch (e: unknown) {
    throw new BerthError('not-implemented', `${abs}: symlink targets that are not valid UTF-8 are not supported`, {
      cause: e,
    });
  }
}

function whiteoutName(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`;
}

/** `<dir>/.wh..wh..opq`, owned and timed like its directory. */
function opaqueMarker(dir: UpperEntry): EntryHeader {
  return { ...baseHeader(dir, TypeFlag.file), name: `${dir.path}/${OPAQUE_WHITEOUT}`, xattrs: [] };
}

function baseHeader(entry: UpperEntry, type: TypeFlag): EntryHeader {
  const st = entry.stat;
  return {
    name: entry.path,
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: 0,
    // Whole seconds, floored (also before 1970), like Docker's layers.
    mtime: Number(st.mtimeNs >= 0n ? st.mtimeNs / 1_000_000_000n : (st.mtimeNs - 999_999_999n) / 1_000_000_000n),
    xattrs: layerXattrs(entry.abs),
  };
}

function layerXattrs(abs: string): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const name of llistxattr(abs).sort()) {
    if (name.startsWith(OVERLAY_XATTR_PREFIX) || name === SELINUX_XATTR) continue;
    const value = lgetxattr(abs, name);
    if (value !== undefined) out.push([name, value]);
  }
  return out;
}

/**
 * A regular file's header and data. Opened before the header is written so a
 * file that vanished is skipped whole; its size is taken from the open file.
 */
async function* fileEntry(entry: UpperEntry, out: Chunker, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(entry.abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return;
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw changed(entry.path);
    out.add(encodeHeader({ ...baseHeader(entry, TypeFlag.file), size: st.size }));
    if (st.size <= SMALL_FILE_MAX) {
      out.add(readSmallFile(fd, st.size, entry.path));
    } else {
      if (out.length > 0) yield out.take();
      yield* streamLargeFile(fd, st.size, entry.path, signal);
    }
    out.add(padding(st.size));
  } finally {
    closeSync(fd);
  }
}

function readSmallFile(fd: number, size: number, path: string): Buffer {
  const data = Buffer.allocUnsafe(size);
  for (let at = 0; at < size;) {
    const got = readSync(fd, data, at, size - at, at);
    if (got === 0) throw changed(path);
    at += got;
  }
  return data;
}

async function* streamLargeFile(
  fd: number,
  size: number,
  path: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  for (let at = 0; at < size;) {
    checkAborted(signal);
    const want = Math.min(READ_SIZE, size - at);
    const { bytesRead, buffer } = await readAsync(fd, Buffer.allocUnsafe(want), 0, want, at);
    if (bytesRead === 0) throw changed(path);
    at += bytesRead;
    yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BerthError('canceled', 'writing layer tar canceled', { cause: signal.reason });
}

function changed(path: string): BerthError {
  return conflict(`${path} changed while the layer was being written; stop or pause the container first`);
}

/** Gathers small buffers into chunks of about CHUNK bytes. */
class Chunker {
  private parts: Buffer[] = [];
  length = 0;

  add(part: Buffer): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.length += part.length;
  }

  full(): boolean {
    return this.length >= CHUNK;
  }

  take(): Buffer {
    const chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return chunk;
  }
}
