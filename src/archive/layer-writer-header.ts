/**
 * Encoding one tar entry's header: a POSIX ustar block, preceded by a PAX
 * extended header when a value does not fit ustar (long or non-ASCII names,
 * large ids or sizes) or cannot be said in it at all (xattrs).
 *
 * Why not tar-stream's pack: it writes PAX values as UTF-8 text, which
 * corrupts binary xattrs such as `security.capability`, and it chooses between
 * ustar prefix splitting and PAX by its own rules. A layer's bytes decide its
 * diff ID, so berth owns them: same entry in, same bytes out.
 */

export const BLOCK = 512;

/** ustar typeflags berth writes. */
export const TypeFlag = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
} as const;
export type TypeFlag = (typeof TypeFlag)[keyof typeof TypeFlag];

export interface EntryHeader {
  /** Relative name; directories end with `/`. */
  name: string;
  type: TypeFlag;
  /** Permission bits with setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Data bytes that follow (regular files only). */
  size: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes, written as `SCHILY.xattr.<name>` in the given order. */
  xattrs?: ReadonlyArray<readonly [string, Buffer]>;
}

/** Largest value of an n-byte octal field (n-1 digits and a NUL). */
const octalMax = (width: number) => 8 ** (width - 1) - 1;
const NAME_WIDTH = 100;
const PAX_HEADER_NAME = 'PaxHeader';
const XATTR_PREFIX = 'SCHILY.xattr.';
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x01-\x7f]*$/;

/** The header block(s) for `h`: PAX blocks first when needed, then the ustar block. */
export function encodeHeader(h: EntryHeader): Buffer {
  const pax: Array<[string, Buffer]> = [];
  const name = fitText(h.name, 'path', pax);
  const linkname = h.linkname === undefined ? '' : fitText(h.linkname, 'linkpath', pax);
  const uid = fitNumber(h.uid, 8, 'uid', pax);
  const gid = fitNumber(h.gid, 8, 'gid', pax);
  const size = fitNumber(h.size, 12, 'size', pax);
  const mtime = fitNumber(h.mtime, 12, 'mtime', pax);
  for (const [key, value] of h.xattrs ?? []) pax.push([XATTR_PREFIX + key, value]);
  const ustar = ustarBlock({ ...h, name, linkname, uid, gid, size, mtime });
  if (pax.length === 0) return ustar;
  const records = paxRecords(pax);
  const paxHead = ustarBlock({
    name: PAX_HEADER_NAME,
    type: 'x',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: records.length,
    mtime,
    linkname: '',
  });
  return Buffer.concat([paxHead, records, padding(records.length), ustar]);
}

/** Zero bytes that fill `size` up to a whole block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A ustar field holds ASCII up to its width; anything else goes to PAX with a placeholder in the field. */
function fitText(value: string, key: string, pax: Array<[string, Buffer]>): string {
  if (ASCII.test(value) && value.length <= NAME_WIDTH) return value;
  pax.push([key, Buffer.from(value, 'utf8')]);
  return value.replace(/[^\x20-\x7e]/g, '_').slice(0, NAME_WIDTH);
}

function fitNumber(value: number, width: number, key: string, pax: Array<[string, Buffer]>): number {
  if (Number.isInteger(value) && value >= 0 && value <= octalMax(width)) return value;
  pax.push([key, Buffer.from(String(value))]);
  return 0;
}

interface UstarFields {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor?: number;
  devminor?: number;
}

function ustarBlock(f: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number, offset: number, width: number) =>
    block.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'latin1');
  block.write(f.name, 0, NAME_WIDTH, 'latin1');
  octal(f.mode & 0o7777, 100, 8);
  octal(f.uid, 108, 8);
  octal(f.gid, 116, 8);
  octal(f.size, 124, 12);
  octal(f.mtime, 136, 12);
  block.write(f.type, 156, 1, 'latin1');
  block.write(f.linkname, 157, NAME_WIDTH, 'latin1');
  block.write('ustar\x0000', 257, 8, 'latin1');
  octal(Math.min(f.devmajor ?? 0, octalMax(8)), 329, 8);
  octal(Math.min(f.devminor ?? 0, octalMax(8)), 337, 8);
  // The checksum is computed with its own field as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return block;
}

/**
 * `<length> <key>=<value>\n` records (POSIX pax): the length counts the whole
 * record including its own digits, so values may hold any byte.
 */
function paxRecords(records: Array<[string, Buffer]>): Buffer {
  return Buffer.concat(
    records.map(([key, value]) => {
      const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
      let length = body.length + 1;
      while (String(length).length + body.length !== length) length = String(length).length + body.length;
      return Buffer.concat([Buffer.from(String(length)), body]);
    }),
  );
}
