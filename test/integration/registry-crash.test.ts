import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { TestDaemon } from '../support/daemon.js';
import { idOf, imageId, randomLayer, startRegistryDaemon } from '../support/distribution.js';
import { storeCounts } from '../support/images.js';
import { pushImage, startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

/** Starts a pull through the API and resolves once `status` appears in its progress for `id`. */
function pullUntil(d: TestDaemon, name: string, id: string, status: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const path = `/v1.47/images/create?fromImage=${encodeURIComponent(name)}&tag=latest`;
    const req = request({ socketPath: d.socket, method: 'POST', path }, (res) => {
      let buffered = '';
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (const line of buffered.split('\n').slice(0, -1)) {
          const msg = JSON.parse(line) as { id?: string; status?: string };
          if (msg.id === id && msg.status === status) resolve();
        }
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
      });
      res.on('end', () => reject(new Error('the pull ended before the layer completed')));
    });
    req.on('error', () => {});
    req.end();
  });
}

describe('berthd killed in the middle of a pull', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry();
    // One layer at a time, so the kill lands after the first layer and before the last.
    d = await startRegistryDaemon(['--max-concurrent-downloads', '1']);
    const layers = [];
    for (let i = 0; i < 3; i++) layers.push(await randomLayer(`layer-${i}.bin`, 24 << 20));
    image = await pushImage(registry, 'large', 'latest', { layers, compression: 'none' });
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('leaves no half image, and the next pull reuses the layers completed before the kill', async () => {
    const name = `${registry.host}/large`;
    const first = image.layers[0]!.digest.slice(7, 19);
    await pullUntil(d, name, first, 'Pull complete');
    await d.kill();
    await d.restart();
    assert.equal(await imageId(d, name), '', 'no image is listed');
    assert.equal((await d.docker(['images', '-a', '-q'])).stdout.trim(), '');
    const counts = await storeCounts(d.dataRoot);
    assert.equal(counts.ingest, 0, 'no partial download is left');
    assert.ok(counts.snapshots >= 1 && counts.snapshots < 3, `the completed layers stay (${counts.snapshots})`);
    const pull = await d.docker(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`${first}: Already exists`));
    assert.match(pull.stdout, new RegExp(`${image.layers[2]!.digest.slice(7, 19)}: Pull complete`));
    assert.equal(await imageId(d, name), idOf(image));
  });
});
