import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isBerthError, type Digest } from '../../src/kernel/index.js';
import type { Descriptor } from '../../src/image/index.js';
import { parseReference } from '../../src/reference/index.js';
import { createRegistryClient } from '../../src/registry/index.js';
import { blob, client, fast, layerTar, read, repo, sha256 } from '../support/registry-client.js';
import { pushImage, pushIndex, startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

describe('the registry client against an anonymous registry over plain HTTP', () => {
  let registry: TestRegistry;
  let c: ReturnType<typeof client>;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry();
    c = client(registry);
    image = await pushImage(registry, 'library/app', 'v1', { layers: [layerTar(), layerTar()], format: 'docker' });
  });
  after(async () => {
    await c.close();
    await registry.stop();
  });

  test('fetches a manifest by tag and by digest, with its exact bytes and media type', async () => {
    const r = repo(c, registry, 'library/app');
    const byTag = await r.getManifest('v1');
    assert.equal(byTag.digest, image.digest);
    assert.equal(byTag.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.deepEqual(byTag.bytes, image.manifest);
    assert.deepEqual((await r.getManifest(image.digest)).bytes, image.manifest);
  });

  test('resolves a tag to the manifest descriptor without its body', async () => {
    const d = await repo(c, registry, 'library/app').resolve('v1');
    assert.deepEqual(d, { mediaType: image.mediaType, digest: image.digest, size: image.manifest.length });
  });

  test('streams a blob with its exact bytes and reports the bytes received', async () => {
    const seen: number[] = [];
    const layer = image.layers[0]!;
    const bytes = await read(
      repo(c, registry, 'library/app').openBlob(layer as Descriptor, { onBytes: (n) => seen.push(n) }),
    );
    assert.equal(sha256(bytes), layer.digest);
    assert.equal(seen.at(-1), layer.size);
  });

  test('uploads a blob in one stream and in chunks, and finds both afterwards', async () => {
    const r = repo(c, registry, 'me/uploads');
    const small = randomBytes(150_000);
    const monolithic = blob(small);
    const data = randomBytes(300_000);
    const chunked = blob(data);
    assert.equal(await r.hasBlob(monolithic.digest), false);
    let sent = 0;
    await r.uploadBlob(monolithic, () => Readable.from([small]), { onBytes: (n) => (sent = n) });
    assert.equal(sent, small.length);
    await r.uploadBlob(chunked, () => Readable.from([data.subarray(0, 1000), data.subarray(1000)]), {
      chunkSize: 64 * 1024,
    });
    assert.equal(await r.hasBlob(monolithic.digest), true);
    assert.equal(await r.hasBlob(chunked.digest), true);
    assert.equal(sha256(await read(r.openBlob(chunked))), chunked.digest);
  });

  test('a blob whose bytes do not match its digest is refused by the registry', async () => {
    const r = repo(c, registry, 'me/uploads');
    const claimed = blob(randomBytes(100));
    await assert.rejects(
      r.uploadBlob(claimed, () => Readable.from([randomBytes(100)])),
      (e) => isBerthError(e, 'invalid-argument'),
    );
  });

  test('mounts a blob from another repository, and says so when the blob is not there to mount', async () => {
    const r = repo(c, registry, 'me/copy');
    assert.equal(await r.mountBlob(image.layers[0]!.digest as Digest, 'library/app'), true);
    assert.equal(await r.hasBlob(image.layers[0]!.digest as Digest), true);
    assert.equal(await r.mountBlob(sha256(randomBytes(10)), 'library/app'), false);
  });

  test('puts a manifest under a tag once its blobs are there, and it resolves to the same digest', async () => {
    const r = repo(c, registry, 'me/copy');
    for (const d of [image.config, ...image.layers])
      await r.mountBlob(d.digest as Digest, `${registry.host}/library/app`);
    const manifest = await repo(c, registry, 'library/app').getManifest('v1');
    assert.equal(await r.putManifest('copied', manifest), image.digest);
    assert.equal((await r.resolve('copied')).digest, image.digest);
  });

  test('fetches a multi-platform index as an index', async () => {
    const index = await pushIndex(registry, 'library/app', 'multi', [
      { image, platform: { os: 'linux', architecture: 'amd64' } },
      { image, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    const fetched = await repo(c, registry, 'library/app').getManifest('multi');
    assert.equal(fetched.digest, index);
    assert.equal(fetched.mediaType, 'application/vnd.oci.image.index.v1+json');
  });

  test('an unknown tag is not-found: manifest unknown', async () => {
    await assert.rejects(repo(c, registry, 'library/app').getManifest('nope'), (e) => {
      assert.ok(isBerthError(e, 'not-found'));
      assert.match(e.message, new RegExp(`manifest for ${registry.host}/library/app:nope not found: manifest unknown`));
      return true;
    });
    await assert.rejects(repo(c, registry, 'library/app').resolve('nope'), (e) => isBerthError(e, 'not-found'));
  });

  test('a digest reference whose manifest is not there is not-found', async () => {
    await assert.rejects(repo(c, registry, 'library/app').getManifest(sha256(Buffer.from('x'))), (e) =>
      isBerthError(e, 'not-found'),
    );
  });

  test('an unknown blob is not-found and names the repository', async () => {
    const missing = blob(randomBytes(10));
    await assert.rejects(read(repo(c, registry, 'library/app').openBlob(missing)), (e) => {
      assert.ok(isBerthError(e, 'not-found'));
      assert.match(e.message, /library\/app@sha256:.*blob unknown/);
      return true;
    });
  });

  test('aborting a blob download mid-way fails the stream as canceled', async () => {
    const controller = new AbortController();
    const stream = repo(c, registry, 'library/app').openBlob(image.layers[0] as Descriptor, {
      signal: controller.signal,
      onBytes: () => controller.abort(),
    });
    await assert.rejects(read(stream), (e) => isBerthError(e, 'canceled'));
  });

  test('an aborted request is canceled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(repo(c, registry, 'library/app').getManifest('v1', { signal: controller.signal }), (e) =>
      isBerthError(e, 'canceled'),
    );
  });
});

describe('the registry client when the registry cannot be reached', () => {
  const listen = async (onConnection: (s: Socket) => void): Promise<{ server: Server; port: number }> => {
    const server = createServer(onConnection);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, port: (server.address() as { port: number }).port };
  };

  test('a port nobody listens on is unavailable: connection refused', { timeout: 30_000 }, async () => {
    const { server, port } = await listen(() => undefined);
    await new Promise((r) => server.close(r));
    const c = client(undefined);
    try {
      await assert.rejects(c.repository(parseReference(`127.0.0.1:${port}/x`)).getManifest('latest'), (e) => {
        assert.ok(isBerthError(e, 'unavailable'));
        assert.match(e.message, /connection refused/);
        return true;
      });
    } finally {
      await c.close();
    }
  });

  test(
    'a registry that accepts connections but never answers is unavailable, not a hang',
    { timeout: 30_000 },
    async () => {
      const sockets: Socket[] = [];
      const { server, port } = await listen((s) => sockets.push(s));
      const c = client(undefined, {
        connectTimeoutMs: 500,
        idleTimeoutMs: 500,
        retry: { attempts: 2, baseDelayMs: 10 },
      });
      try {
        await assert.rejects(c.repository(parseReference(`127.0.0.1:${port}/x`)).getManifest('latest'), (e) => {
          assert.ok(isBerthError(e, 'unavailable'));
          assert.match(e.message, /no response in time|timed out/);
          return true;
        });
      } finally {
        await c.close();
        sockets.forEach((s) => s.destroy());
        await new Promise((r) => server.close(r));
      }
    },
  );
});

describe('the registry client with registry mirrors', () => {
  let empty: TestRegistry;
  let mirror: TestRegistry;
  let image: PushedImage;
  before(async () => {
    empty = await startRegistry();
    mirror = await startRegistry();
    image = await pushImage(mirror, 'library/mirrored', 'v1', { layers: [layerTar()] });
  });
  after(async () => {
    await empty.stop();
    await mirror.stop();
  });

  const withMirrors = (mirrors: string[]) =>
    createRegistryClient({ certsDirs: [], insecureRegistries: [], mirrors, userAgent: 't', ...fast });

  test('docker.io references are served by the mirror first', async () => {
    const c = withMirrors([mirror.url]);
    try {
      const r = c.repository(parseReference('mirrored:v1'));
      assert.equal(r.name, 'docker.io/library/mirrored');
      assert.equal((await r.getManifest('v1')).digest, image.digest);
    } finally {
      await c.close();
    }
  });

  test('a mirror without the image is passed over for the next, and every request starts at the first again', async () => {
    const c = withMirrors([empty.url, mirror.url]);
    try {
      const r = c.repository(parseReference('mirrored:v1'));
      assert.equal((await r.getManifest('v1')).digest, image.digest);
      await pushImage(empty, 'library/mirrored', 'v1', { layers: [layerTar()] });
      assert.notEqual((await r.getManifest('v1')).digest, image.digest);
    } finally {
      await c.close();
    }
  });
});
