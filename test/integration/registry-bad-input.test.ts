import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import type { TestDaemon } from '../support/daemon.js';
import {
  blobFile,
  imageId,
  plantManifest,
  randomLayer,
  startOverridingProxy,
  startRegistryDaemon,
} from '../support/distribution.js';
import { storeCounts } from '../support/images.js';
import { pushImage, startRegistry, type TestRegistry } from '../support/registry.js';

describe('pulls of bad input fail clearly and keep nothing', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  before(async () => {
    registry = await startRegistry();
    d = await startRegistryDaemon();
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('a blob whose bytes do not match its digest fails the pull, and nothing of the layer is kept', async () => {
    const image = await pushImage(registry, 'corrupt', 'latest', { layers: [await randomLayer('data.bin', 200_000)] });
    const file = blobFile(registry, image.layers[0]!.digest);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await writeFile(file, bytes);
    const pull = await d.docker(['pull', `${registry.host}/corrupt`]);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, new RegExp(`verification failed for digest ${image.layers[0]!.digest}`));
    assert.equal(await imageId(d, `${registry.host}/corrupt`), '');
    assert.deepEqual(await storeCounts(d.dataRoot), { blobs: 0, snapshots: 0, ingest: 0 });
  });

  test('an unknown tag is "manifest unknown", before any progress', async () => {
    await pushImage(registry, 'known', 'v1', { layers: [await randomLayer('x', 10)] });
    const pull = await d.docker(['pull', `${registry.host}/known:v2`]);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /manifest unknown/);
    const api = await d.api('POST', `/images/create?fromImage=${registry.host}/known&tag=v2`);
    assert.equal(api.status, 404);
  });

  test('an unreachable registry is a clear error, not a hang', async () => {
    const started = Date.now();
    const pull = await d.docker(['pull', '127.0.0.1:1/nothing']);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /connection refused/);
    assert.ok(Date.now() - started < 60_000, 'the pull gave up within a minute');
  });

  test('a schema 1 manifest is refused with a message that says so', async () => {
    const schema1 = { schemaVersion: 1, name: 'old', tag: 'latest', architecture: 'amd64', fsLayers: [], history: [] };
    await plantManifest(registry, 'old', 'latest', Buffer.from(JSON.stringify(schema1)));
    const pull = await d.docker(['pull', `${registry.host}/old`]);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /schema 1/);
  });

  test('a manifest over 4 MB is refused', async () => {
    const image = await pushImage(registry, 'big', 'small', { layers: [await randomLayer('y', 10)] });
    const padded = { ...JSON.parse(image.manifest.toString()), annotations: { pad: 'x'.repeat(5 << 20) } } as object;
    const proxy = await startOverridingProxy(
      registry,
      new Map([
        ['/v2/big/manifests/latest', { mediaType: image.mediaType, body: Buffer.from(JSON.stringify(padded)) }],
      ]),
    );
    try {
      const pull = await d.docker(['pull', `${proxy.host}/big`]);
      assert.notEqual(pull.code, 0);
      assert.match(pull.stderr, /4194304|4 ?MB|too large|larger than/i);
      assert.equal(await imageId(d, `${proxy.host}/big`), '');
    } finally {
      await proxy.close();
    }
  });
});
