import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { dockerArchive, packTar, storeCounts } from '../support/images.js';

describe('bad image archives are refused with one clear line and leave nothing behind', () => {
  let d: TestDaemon;
  let layer: Buffer;
  before(async () => {
    d = await startDaemon();
    layer = await packTar([{ name: 'hello.txt', content: 'hello' }]);
    // one good image, so that "nothing changed" is checked against a non-empty store
    const { tar } = await dockerArchive([{ tags: ['good:1'], layers: [layer] }]);
    assert.equal((await d.docker(['load'], { input: tar })).code, 0);
  });
  after(() => d.stop());

  async function refused(input: Buffer, pattern: RegExp): Promise<void> {
    const before = await storeCounts(d.dataRoot);
    const imagesBefore = (await d.docker(['images', '-q', '-a'])).stdout;
    const r = await d.docker(['load'], { input });
    assert.notEqual(r.code, 0, 'load should fail');
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, got: ${r.stderr}`);
    assert.deepEqual(await storeCounts(d.dataRoot), before);
    assert.equal((await d.docker(['images', '-q', '-a'])).stdout, imagesBefore);
  }

  test('a corrupt tarball', async () => {
    const { tar } = await dockerArchive([{ tags: ['bad:1'], layers: [layer] }]);
    await refused(Buffer.concat([tar.subarray(0, 700), Buffer.alloc(300, 7)]), /invalid tar|unexpected end|manifest/i);
    await refused(Buffer.from('this is not a tar archive at all, not even close'.repeat(40)), /invalid|tar/i);
  });

  test('a layer that does not match the diff ID in its config', async () => {
    const original = await packTar([{ name: 'g.txt', content: 'original' }]);
    const swap = (data: Buffer) => Buffer.from(data.toString('latin1').replace('original', 'modified'), 'latin1');
    const { tar } = await dockerArchive([{ tags: ['bad:2'], layers: [original] }], {
      entries: (name, data) => (name.endsWith('layer.tar') ? swap(data) : data),
    });
    await refused(tar, /diff ID/);
  });

  test('a blob whose bytes do not match the digest its name states', async () => {
    const blobHex = 'a'.repeat(64);
    const tar = await packTar([
      { name: `blobs/sha256/${blobHex}`, content: layer },
      {
        name: 'manifest.json',
        content: JSON.stringify([{ Config: `blobs/sha256/${blobHex}`, RepoTags: ['bad:3'], Layers: [] }]),
      },
    ]);
    await refused(tar, /digest mismatch|does not match/);
  });

  test('a manifest naming a missing blob', async () => {
    const { tar } = await dockerArchive([{ tags: ['bad:4'], layers: [layer] }], {
      manifest: (m) => m.map((e) => ({ ...(e as object), Layers: ['missing/layer.tar'] })),
    });
    await refused(tar, /missing/);
  });

  test('a config that is not what its name says', async () => {
    const { tar } = await dockerArchive([{ tags: ['bad:5'], layers: [layer] }], {
      entries: (name, data) =>
        name.endsWith('.json') && name !== 'manifest.json'
          ? Buffer.from(data.toString().replace('amd64', 'arm64'))
          : data,
    });
    await refused(tar, /does not match its digest/);
  });

  test('a layer that writes outside its root', async () => {
    const evil = await packTar([{ name: '../../evil.txt', content: 'x' }]);
    const { tar } = await dockerArchive([{ tags: ['bad:6'], layers: [evil] }]);
    await refused(tar, /could not be unpacked/);
  });

  test('an archive with no images', async () => {
    await refused(await packTar([{ name: 'readme.txt', content: 'nothing here' }]), /no manifest\.json or index\.json/);
  });
});
