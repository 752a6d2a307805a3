import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { isBerthError, sha256 } from '../../kernel/index.js';
import { UnpackPool } from './unpack-pool.js';

const pool = new UnpackPool();
after(() => pool.close());

async function tarOf(files: { name: string; content: Buffer | string }[]): Promise<Buffer> {
  const p = pack();
  for (const f of files) p.entry({ name: f.name, mode: 0o644 }, f.content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'berth-unpack-pool-'));
  const dir = join(tmp, 'fs');
  await mkdir(dir);
  try {
    await fn(dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Writes `data` in 64 KiB chunks, honouring backpressure, then ends the sink. */
async function feed(sink: Writable, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; at += 64 << 10) {
    if (!sink.write(data.subarray(at, at + (64 << 10)))) await new Promise((r) => sink.once('drain', r));
  }
  await new Promise<void>((resolve) => sink.end(resolve));
}

/** Open file descriptors of this process (workers included) that point into `dir`. */
async function fdsInto(dir: string): Promise<string[]> {
  const links = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return links.filter((l) => l.startsWith(dir));
}

describe('layer unpacking on worker threads (needs root: extraction sets owners)', () => {
  const big = randomBytes(6 << 20);

  for (const compression of ['gzip', 'none'] as const) {
    test(`a ${compression} layer is extracted, hashed to the tar's diff ID, and the bytes sent to the blob's digest`, async () => {
      await withDir(async (dir) => {
        const tar = await tarOf([
          { name: 'etc/hello.txt', content: 'hello' },
          { name: 'big.bin', content: big },
        ]);
        const job = pool.start(dir);
        const blob = compression === 'gzip' ? gzipSync(tar) : tar;
        await feed(job.sink, blob);
        const result = await job.result;
        assert.deepEqual(result, { diffId: sha256(tar), size: tar.length, compression, blobDigest: sha256(blob) });
        assert.equal(await readFile(join(dir, 'etc/hello.txt'), 'utf8'), 'hello');
        assert.deepEqual(await readFile(join(dir, 'big.bin')), big);
      });
    });
  }

  test('an entry escaping the root is refused with the extractor own error', async () => {
    await withDir(async (dir) => {
      const job = pool.start(dir);
      await feed(job.sink, gzipSync(await tarOf([{ name: '../escape.txt', content: 'x' }])));
      await assert.rejects(
        job.result,
        (e) => isBerthError(e, 'invalid-argument') && /refusing layer entry/.test(e.message),
      );
    });
  });

  test('data that is not a tar fails to unpack while the sink still takes every byte', async () => {
    await withDir(async (dir) => {
      const job = pool.start(dir);
      const fed = feed(job.sink, randomBytes(8 << 20));
      await assert.rejects(
        job.result,
        (e) => isBerthError(e, 'invalid-argument') && /invalid layer tar/.test(e.message),
      );
      await fed;
    });
  });

  test('destroying the sink with an error fails the job with that error', async () => {
    await withDir(async (dir) => {
      const job = pool.start(dir);
      job.sink.write(gzipSync(await tarOf([{ name: 'big.bin', content: big }])).subarray(0, 3 << 20));
      const cause = new Error('connection reset');
      job.sink.destroy(cause);
      await assert.rejects(job.result, (e) => e === cause);
      assert.deepEqual(await fdsInto(dir), []);
    });
  });

  test('abort cancels a running extraction, and no file stays open', async () => {
    await withDir(async (dir) => {
      const controller = new AbortController();
      const job = pool.start(dir, { signal: controller.signal });
      const layer = gzipSync(await tarOf([{ name: 'big.bin', content: big }]));
      // Half the layer, so the worker is inside big.bin when the abort comes.
      await new Promise<void>((resolve) => job.sink.write(layer.subarray(0, layer.length >> 1), () => resolve()));
      controller.abort();
      await assert.rejects(job.result, (e) => isBerthError(e, 'canceled'));
      assert.deepEqual(await fdsInto(dir), []);
      job.sink.destroy();
    });
  });

  test('an already aborted signal fails the job at once', async () => {
    await withDir(async (dir) => {
      const job = pool.start(dir, { signal: AbortSignal.abort() });
      await assert.rejects(job.result, (e) => isBerthError(e, 'canceled'));
      job.sink.destroy();
    });
  });
});
