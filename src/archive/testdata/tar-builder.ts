/**
 * Test helpers for crafting layer tars in memory: tar-stream's pack for
 * ordinary entries, and raw ustar blocks for what pack cannot write (binary
 * PAX values, GNU long names, names pack would normalise).
 */
import { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';

const BLOCK = 512;

export interface TarEntry {
  header: Partial<Header> & { name: string };
  data?: string | Buffer;
}

/** A complete tar (with its end-of-archive blocks) written by tar-stream's pack. */
export async function packTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  // Read while writing: pack holds an entry's callback until its data is read.
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  })();
  for (const { header, data } of entries) {
    const body = data === undefined ? undefined : Buffer.from(data);
    const h = body === undefined ? header : { size: body.length, ...header };
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body === undefined) pack.entry(h, cb);
      else pack.entry(h, body, cb);
    });
  }
  pack.finalize();
  return collected;
}

export interface RawHeader {
  name: string;
  /** ustar typeflag character: '0' file, '5' dir, 'x' PAX, 'L' GNU long name... */
  typeflag: string;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  /** GNU tar's magic instead of POSIX ustar (needed for 'L' entries by some readers). */
  gnu?: boolean;
}

/** One header block plus its data, padded to whole blocks; no end-of-archive. */
export function rawEntry(header: RawHeader, data: Buffer = Buffer.alloc(0)): Buffer {
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number, offset: number, width: number) =>
    block.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, 'latin1');
  block.write(header.name, 0, 100, 'utf8');
  octal(header.mode ?? 0o644, 100, 8);
  octal(header.uid ?? 0, 108, 8);
  octal(header.gid ?? 0, 116, 8);
  octal(header.size ?? data.length, 124, 12);
  octal(header.mtime ?? 0, 136, 12);
  block.write(header.typeflag, 156, 1, 'latin1');
  block.write(header.linkname ?? '', 157, 100, 'utf8');
  block.write(header.gnu ? 'ustar  \0' : 'ustar\x0000', 257, 8, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  const padding = Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK);
  return Buffer.concat([block, data, padding]);
}

/** PAX records with exact value bytes: `<len> <key>=<value>\n`. */
export function paxRecords(records: Array<[string, Buffer | string]>): Buffer {
  return Buffer.concat(
    records.map(([key, value]) => {
      const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
      let length = body.length + 1;
      while (String(length).length + body.length !== length) length = String(length).length + body.length;
      return Buffer.concat([Buffer.from(String(length)), body]);
    }),
  );
}

/** Two zero blocks: the end of a tar archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export function streamOf(...parts: Buffer[]): Readable {
  return Readable.from([Buffer.concat(parts)], { objectMode: false });
}
