/**
 * What berth reads from PAX extended headers beyond what tar-stream applies
 * itself (path, linkpath, size): exact extended attributes, large uid/gid and
 * sub-second times.
 */
import type { Extract, Header } from 'tar-stream';
import { BerthError } from '../kernel/index.js';

/** Key prefix star and GNU tar, Go's archive/tar and bsdtar use for an xattr. */
const XATTR_PREFIX = 'SCHILY.xattr.';

/** tar-stream's header as it really is at run time: the merged PAX records ride along. */
export type TarHeader = Omit<Header, 'pax'> & { pax?: Record<string, string> | null };

/** The parts of tar-stream's Extract the hook below relies on (tar-stream 3.x). */
interface ExtractInternals {
  _decodeLongHeader?: (this: ExtractInternals, buf: Buffer) => void;
  _header: { type: string | null } | null;
  _pax: object | null;
}

const rawXattrs = new WeakMap<object, Map<string, Buffer>>();

/**
 * tar-stream decodes PAX values as UTF-8 text, which corrupts binary xattrs
 * such as `security.capability` (a cap_setuid mask has a 0x80 byte). This
 * wraps its PAX decoding to keep the raw bytes of each xattr record, keyed by
 * the header's `pax` object. Per-file records only: a global xattr would apply
 * to every entry and no layer producer writes one.
 */
export function keepRawPaxXattrs(extract: Extract): void {
  const internals = extract as unknown as ExtractInternals;
  const decode = internals._decodeLongHeader;
  if (typeof decode !== 'function') {
    throw new BerthError(
      'internal',
      'this tar-stream version hides PAX decoding; binary xattrs cannot be read exactly',
    );
  }
  internals._decodeLongHeader = function (buf: Buffer): void {
    decode.call(this, buf);
    if (this._header?.type === 'pax-header' && this._pax !== null) rawXattrs.set(this._pax, parseXattrRecords(buf));
  };
}

/** The entry's extended attributes, name → exact value bytes. */
export function entryXattrs(header: TarHeader): Map<string, Buffer> {
  const pax = header.pax;
  if (!pax) return new Map();
  const raw = rawXattrs.get(pax);
  if (raw) return raw;
  // A header decoded without the hook: text values are the best available.
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(pax)) {
    if (key.startsWith(XATTR_PREFIX)) out.set(key.slice(XATTR_PREFIX.length), Buffer.from(value, 'utf8'));
  }
  return out;
}

/**
 * `<length> <key>=<value>\n` records (POSIX pax format); length counts the
 * whole record in bytes, so values may hold any byte including newlines.
 */
function parseXattrRecords(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let at = 0;
  while (at < buf.length) {
    const space = buf.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(buf.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > buf.length) break;
    const record = buf.subarray(space + 1, at + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq >= 0) {
      const key = record.toString('utf8', 0, eq);
      if (key.startsWith(XATTR_PREFIX)) out.set(key.slice(XATTR_PREFIX.length), Buffer.from(record.subarray(eq + 1)));
    }
    at += length;
  }
  return out;
}

/** Owner and times, preferring PAX values (ids above 2097151, sub-second times) to the ustar fields. */
export function entryAttributes(header: TarHeader): { uid: number; gid: number; mtime: number; atime: number } {
  const pax = header.pax ?? {};
  const mtime = paxNumber(pax.mtime) ?? (header.mtime ? header.mtime.getTime() / 1000 : 0);
  return {
    uid: paxNumber(pax.uid) ?? header.uid ?? 0,
    gid: paxNumber(pax.gid) ?? header.gid ?? 0,
    mtime,
    atime: paxNumber(pax.atime) ?? mtime,
  };
}

function paxNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
