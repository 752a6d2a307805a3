import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { openFeed } from './unpack-feed.js';

/** `data` cut into transferable buffers of `size` bytes, as the main thread sends them. */
function buffersOf(data: Buffer, size: number): { buffer: ArrayBuffer; length: number }[] {
  const out = [];
  for (let at = 0; at < data.length; at += size) {
    const buffer = new ArrayBuffer(size);
    const length = data.copy(new Uint8Array(buffer), 0, at, at + size);
    out.push({ buffer, length });
  }
  return out;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('unpack worker feeds', () => {
  const data = Buffer.alloc(300_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;

  for (const { name, bytes, decompressed } of [
    { name: 'gzip data is decompressed', bytes: gzipSync(data), decompressed: 'gzip' },
    { name: 'other data is passed through for openDecompressed', bytes: data, decompressed: undefined },
  ]) {
    test(`${name}, and every buffer goes back exactly once`, async () => {
      const returned: ArrayBuffer[] = [];
      const buffers = buffersOf(bytes, 64 << 10);
      const feed = openFeed(new Uint8Array(buffers[0]!.buffer, 0, buffers[0]!.length), (b) => returned.push(b));
      assert.equal(feed.decompressed, decompressed);
      const out = collect(feed.stream);
      for (const b of buffers) feed.write(b.buffer, b.length);
      feed.end();
      assert.deepEqual(await out, data);
      assert.equal(returned.length, buffers.length);
      assert.equal(new Set(returned).size, buffers.length);
    });

    test(`${name}; a destroyed feed still gives back every buffer`, { timeout: 10_000 }, async () => {
      const returned: ArrayBuffer[] = [];
      const buffers = buffersOf(bytes, 64 << 10);
      let allBack!: () => void;
      const done = new Promise<void>((resolve) => (allBack = resolve));
      const feed = openFeed(new Uint8Array(buffers[0]!.buffer, 0, buffers[0]!.length), (b) => {
        if (returned.push(b) === buffers.length) allBack();
      });
      // Nothing reads the stream: the feed fills up and keeps buffers.
      for (const b of buffers.slice(0, 3)) feed.write(b.buffer, b.length);
      feed.destroy(new Error('aborted'));
      for (const b of buffers.slice(3)) feed.write(b.buffer, b.length);
      await done;
      assert.equal(new Set(returned).size, buffers.length);
    });
  }
});
