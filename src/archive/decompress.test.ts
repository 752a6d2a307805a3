import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isBerthError } from '../kernel/index.js';
import { compressionFromMediaType, isGzip, openDecompressed, type Compression } from './decompress.js';

const zstd = (data: Buffer): Buffer =>
  execFileSync('/usr/bin/zstd', ['-c', '-q'], { input: data, maxBuffer: 64 << 20 });

/** Splits data into small chunks so detection must reassemble the head. */
function chunked(data: Buffer, size = 3): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts, { objectMode: false });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function childPids(): string[] {
  return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('zstd'));
}

const text = Buffer.from('hello layer '.repeat(1000));
const big = Buffer.concat([randomBytes(2 << 20), Buffer.alloc(3 << 20, 7)]);

describe('openDecompressed', () => {
  const cases: Array<{ name: string; input: Buffer; compression: Compression; want: Buffer }> = [
    { name: 'plain data', input: text, compression: 'none', want: text },
    { name: 'gzip data', input: gzipSync(text), compression: 'gzip', want: text },
    { name: 'zstd data', input: zstd(text), compression: 'zstd', want: text },
    { name: 'multi-megabyte zstd data', input: zstd(big), compression: 'zstd', want: big },
    { name: 'multi-megabyte gzip data', input: gzipSync(big), compression: 'gzip', want: big },
    {
      name: 'input shorter than the magic',
      input: Buffer.from([0x1f]),
      compression: 'none',
      want: Buffer.from([0x1f]),
    },
    { name: 'empty input', input: Buffer.alloc(0), compression: 'none', want: Buffer.alloc(0) },
    { name: 'gzip of empty data', input: gzipSync(Buffer.alloc(0)), compression: 'gzip', want: Buffer.alloc(0) },
  ];
  for (const c of cases) {
    test(`detects and decodes ${c.name} without losing the peeked bytes`, async () => {
      const { stream, compression } = await openDecompressed(chunked(c.input, c.input.length > 100_000 ? 65536 : 3));
      assert.equal(compression, c.compression);
      const got = await readAll(stream);
      assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(c.want).digest('hex'));
    });
  }

  test("reports corrupt zstd data with zstd's own message", async () => {
    const bad = Buffer.concat([zstd(text).subarray(0, 12), Buffer.alloc(64, 0xaa)]);
    const { stream } = await openDecompressed(chunked(bad, 16));
    await assert.rejects(
      readAll(stream),
      (e: unknown) => isBerthError(e, 'invalid-argument') && /zstd/.test(e.message),
    );
  });

  test('reports truncated zstd data as an error rather than a short stream', async () => {
    const whole = zstd(big);
    const { stream } = await openDecompressed(chunked(whole.subarray(0, whole.length >> 1), 65536));
    await assert.rejects(readAll(stream), (e: unknown) => isBerthError(e, 'invalid-argument'));
  });

  test('reports corrupt gzip data as an error', async () => {
    const bad = Buffer.concat([gzipSync(text).subarray(0, 10), Buffer.alloc(64, 0xaa)]);
    const { stream } = await openDecompressed(chunked(bad, 16));
    await assert.rejects(readAll(stream));
  });

  test('passes an input error through the zstd decompressor', async () => {
    const failing = new Readable({ read() {} });
    failing.push(zstd(text).subarray(0, 20));
    const { stream } = await openDecompressed(failing);
    failing.destroy(new Error('network went away'));
    await assert.rejects(readAll(stream), /network went away/);
  });

  test('kills zstd and destroys the input when the reader gives up early', async () => {
    const input = chunked(zstd(big), 65536);
    const { stream } = await openDecompressed(input);
    stream.once('data', () => stream.destroy());
    await once(stream, 'close');
    if (!input.destroyed) await once(input, 'close');
    for (let i = 0; i < 100 && childPids().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(childPids(), []);
  });

  test('refuses xz data with a message naming the format', async () => {
    const input = Readable.from([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0])]);
    await assert.rejects(
      openDecompressed(input),
      (e: unknown) => isBerthError(e, 'not-implemented') && /xz/.test(e.message),
    );
  });
});

describe('isGzip', () => {
  const cases: { head: number[]; gzip: boolean }[] = [
    { head: [0x1f, 0x8b, 0x08], gzip: true },
    { head: [0x1f, 0x8b], gzip: true },
    { head: [0x1f], gzip: false },
    { head: [], gzip: false },
    { head: [0x28, 0xb5, 0x2f, 0xfd], gzip: false },
    { head: [...Buffer.from('etc/')], gzip: false },
  ];
  for (const c of cases) {
    test(`bytes ${Buffer.from(c.head).toString('hex') || '(none)'} are ${c.gzip ? '' : 'not '}gzip`, () => {
      assert.equal(isGzip(Uint8Array.from(c.head)), c.gzip);
    });
  }
});

describe('compressionFromMediaType', () => {
  const cases: Array<[string, Compression | undefined]> = [
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
    ['application/vnd.oci.image.config.v1+json', undefined],
  ];
  for (const [mediaType, want] of cases) {
    test(`maps ${mediaType} to ${String(want)}`, () => {
      assert.equal(compressionFromMediaType(mediaType), want);
    });
  }
});
