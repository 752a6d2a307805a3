import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { isBerthError, sha256, type Digest } from '../kernel/index.js';
import { openContentStore, type ContentStore } from './index.js';

/** A source that yields `data` in pieces of `chunk` bytes. */
function chunked(data: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  return Buffer.concat((await stream.toArray()) as Buffer[]);
}

describe('content store', () => {
  let base: string;
  let counter = 0;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'berth-content-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  /** A fresh store per test, so directory listings only show that test's files. */
  async function fresh(): Promise<{ store: ContentStore; root: string }> {
    const root = join(base, String(counter++));
    return { store: await openContentStore(root), root };
  }

  const listBlobs = (root: string) => readdir(join(root, 'blobs', 'sha256'));
  const listIngest = (root: string) => readdir(join(root, 'ingest'));

  test('ingests a stream without expectations and names it by its sha256', async () => {
    const { store, root } = await fresh();
    const data = randomBytes(300_000);
    const info = await store.ingest(chunked(data, 1000));
    assert.deepEqual(info, { digest: sha256(data), size: data.length });
    assert.deepEqual(await store.readBytes(info.digest), data);
    assert.equal((await stat(store.blobPath(info.digest))).mode & 0o777, 0o444);
    assert.deepEqual(await listIngest(root), []);
  });

  test('ingests a stream that matches the expected digest and size', async () => {
    const { store } = await fresh();
    const data = randomBytes(10_000);
    const expected = { digest: sha256(data), size: data.length };
    assert.deepEqual(await store.ingest(chunked(data), expected), expected);
    assert.deepEqual(await store.info(expected.digest), expected);
  });

  test('a writer whose caller hashes takes its digest, or reads the file back without one', async () => {
    const { store, root } = await fresh();
    const data = randomBytes(200_000);
    const expected = { digest: sha256(data), size: data.length };
    const told = await store.writer({ callerHashes: true });
    await pipeline(chunked(data), told.stream);
    assert.deepEqual(await told.commit(expected, expected.digest), expected);
    const untold = await store.writer({ callerHashes: true });
    await pipeline(chunked(data), untold.stream);
    assert.deepEqual(await untold.commit(expected), expected);
    // A digest that does not match what was expected is refused like a computed one.
    const wrong = await store.writer({ callerHashes: true });
    await pipeline(chunked(data), wrong.stream);
    await assert.rejects(wrong.commit(expected, sha256(Buffer.from('other'))), /digest mismatch/);
    assert.deepEqual(await listIngest(root), []);
  });

  test('refuses a wrong digest and leaves nothing in blobs or ingest', async () => {
    const { store, root } = await fresh();
    const data = Buffer.from('hello');
    const wrong = sha256('other');
    await assert.rejects(
      store.ingest(chunked(data), { digest: wrong }),
      (e: unknown) =>
        isBerthError(e, 'invalid-argument') && e.message === `digest mismatch for ${wrong}: got ${sha256(data)}`,
    );
    assert.deepEqual(await listBlobs(root), []);
    assert.deepEqual(await listIngest(root), []);
    assert.equal(await store.has(wrong), false);
  });

  test('refuses a wrong size and leaves nothing in blobs or ingest', async () => {
    const { store, root } = await fresh();
    const data = Buffer.from('hello');
    await assert.rejects(
      store.ingest(chunked(data), { digest: sha256(data), size: 4 }),
      (e: unknown) =>
        isBerthError(e, 'invalid-argument') &&
        e.message === `size mismatch for ${sha256(data)}: expected 4 bytes, got 5`,
    );
    assert.deepEqual(await listBlobs(root), []);
    assert.deepEqual(await listIngest(root), []);
  });

  test('refuses wrong small bytes before writing anything', async () => {
    const { store, root } = await fresh();
    await assert.rejects(store.ingestBytes(Buffer.from('a'), { digest: sha256('b') }), /digest mismatch/);
    assert.deepEqual(await listBlobs(root), []);
    const info = await store.ingestBytes(Buffer.from('{}'), { size: 2 });
    assert.equal(info.digest, sha256('{}'));
  });

  test('concurrent ingests of the same blob all succeed with one stored copy', async () => {
    const { store, root } = await fresh();
    const data = randomBytes(2 * 1024 * 1024);
    const expected = { digest: sha256(data), size: data.length };
    const results = await Promise.all(
      [1000, 4096, 65536, 1 << 20].map((size) => store.ingest(chunked(data, size), expected)),
    );
    for (const info of results) assert.deepEqual(info, expected);
    assert.deepEqual(await listBlobs(root), [expected.digest.slice(7)]);
    assert.deepEqual(await listIngest(root), []);
  });

  test('a blob that already exists is success, and its source is not read', async () => {
    const { store, root } = await fresh();
    const data = Buffer.from('same bytes');
    const first = await store.ingestBytes(data);

    const writer = await store.writer();
    writer.stream.end(data);
    assert.deepEqual(await writer.commit({ digest: first.digest }), first);

    let pulled = false;
    const source = new Readable({
      read() {
        pulled = true;
        this.push(null);
      },
    });
    assert.deepEqual(await store.ingest(source, { digest: first.digest }), first);
    assert.equal(pulled, false);
    assert.equal(source.destroyed, true);
    assert.deepEqual(await listIngest(root), []);
  });

  test('abort removes the partial file, and a second abort is harmless', async () => {
    const { store, root } = await fresh();
    const writer = await store.writer();
    await new Promise<void>((resolve, reject) =>
      writer.stream.write(randomBytes(1000), (e) => (e ? reject(e) : resolve())),
    );
    assert.equal(writer.written, 1000);
    assert.equal((await listIngest(root)).length, 1);
    await writer.abort();
    await writer.abort();
    assert.deepEqual(await listIngest(root), []);
    assert.deepEqual(await listBlobs(root), []);
    await assert.rejects(writer.commit(), /already committed or aborted/);
  });

  test('an aborted signal cancels ingest and removes the partial file', async () => {
    const { store, root } = await fresh();
    const controller = new AbortController();
    const source = new Readable({
      read() {
        this.push(randomBytes(1024));
        controller.abort();
      },
    });
    await assert.rejects(store.ingest(source, {}, { signal: controller.signal }), (e: unknown) =>
      isBerthError(e, 'canceled'),
    );
    assert.deepEqual(await listIngest(root), []);
  });

  test('readStream starts at the given offset', async () => {
    const { store } = await fresh();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const { digest } = await store.ingestBytes(data);
    assert.deepEqual(await readAll(store.readStream(digest)), data);
    assert.deepEqual(await readAll(store.readStream(digest, { start: 1_000_003 })), data.subarray(1_000_003));
    assert.deepEqual(await readAll(store.readStream(digest, { start: data.length + 5 })), Buffer.alloc(0));
    assert.throws(() => store.readStream(digest, { start: -1 }), /invalid read offset/);
  });

  test('a missing blob is not-found from info, readBytes and readStream', async () => {
    const { store } = await fresh();
    const missing = sha256('missing');
    const notFound = (e: unknown) => isBerthError(e, 'not-found') && e.message === `blob not found: ${missing}`;
    await assert.rejects(store.info(missing), notFound);
    await assert.rejects(store.readBytes(missing), notFound);
    await assert.rejects(readAll(store.readStream(missing)), notFound);
  });

  test('refuses a malformed digest instead of using it as a path', async () => {
    const { store } = await fresh();
    assert.throws(() => store.blobPath('sha256:../../etc/passwd' as Digest), /invalid digest/);
  });

  test('walk lists committed blobs and delete removes them', async () => {
    const { store } = await fresh();
    const infos = await Promise.all(['a', 'bb', 'ccc'].map((s) => store.ingestBytes(Buffer.from(s))));
    const byDigest = (x: { digest: string }, y: { digest: string }) => x.digest.localeCompare(y.digest);
    const walked = async () => {
      const out = [];
      for await (const info of store.walk()) out.push(info);
      return out.sort(byDigest);
    };
    assert.deepEqual(await walked(), [...infos].sort(byDigest));
    const [gone, ...kept] = infos;
    await store.delete(gone!.digest);
    await store.delete(gone!.digest);
    assert.equal(await store.has(gone!.digest), false);
    assert.deepEqual(await walked(), kept.sort(byDigest));
  });

  test('cleanIngest removes files left by a crash but not those of live writers', async () => {
    const { store, root } = await fresh();
    await writeFile(join(root, 'ingest', 'left-by-crash-1'), 'partial');
    await writeFile(join(root, 'ingest', 'left-by-crash-2'), 'partial');
    const live = await store.writer();
    live.stream.write('still writing');
    assert.equal(await store.cleanIngest(), 2);
    assert.equal((await listIngest(root)).length, 1);
    const info = await live.commit();
    assert.equal(info.digest, sha256('still writing'));
    assert.equal(await store.cleanIngest(), 0);
  });

  test('the writer stream applies backpressure', async () => {
    const { store } = await fresh();
    const writer = await store.writer();
    const chunk = randomBytes(1024 * 1024);
    let writes = 0;
    while (writer.stream.write(chunk)) writes++;
    assert.ok(writes < 16, 'write() must return false once the buffer is full');
    await new Promise((resolve) => writer.stream.once('drain', resolve));
    const info = await writer.commit({ size: (writes + 1) * chunk.length });
    assert.equal(info.size, (writes + 1) * chunk.length);
  });

  test('the writer stream works as one branch of a tee with a slow consumer', async () => {
    const { store } = await fresh();
    const data = randomBytes(8 * 1024 * 1024);
    const writer = await store.writer();
    const seen: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, callback) {
        seen.push(chunk);
        setImmediate(callback);
      },
    });
    const source = chunked(data);
    source.pipe(slow);
    await pipeline(source, writer.stream);
    await finished(slow);
    const info = await writer.commit({ digest: sha256(data) });
    assert.equal(info.size, data.length);
    assert.deepEqual(Buffer.concat(seen), data);
  });
});
