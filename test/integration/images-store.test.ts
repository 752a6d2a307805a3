import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon, run, type TestDaemon } from '../support/daemon.js';
import { dockerArchive, ociLayout, packTar, storeCounts } from '../support/images.js';

describe('the image store', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startDaemon();
  });
  after(() => d.stop());

  const ok = async (args: string[]) => {
    const r = await d.docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };

  test('loads an OCI layout whose layers are uncompressed, gzip and zstd, and saves it back', async () => {
    const layout = join(d.root, 'oci');
    const id = await ociLayout(
      layout,
      [[{ name: 'plain.txt', content: 'p' }], [{ name: 'gz.txt', content: 'g' }], [{ name: 'zst.txt', content: 'z' }]],
      { compression: ['none', 'gzip', 'zstd'], refName: 'example.com/oci/mixed:1' },
    );
    const archive = join(d.root, 'oci.tar');
    await run('tar', ['-C', layout, '-cf', archive, '.']);
    assert.match(await ok(['load', '-i', archive]), /Loaded image: example\.com\/oci\/mixed:1/);
    assert.equal(await ok(['image', 'inspect', '--format', '{{.Id}}', 'example.com/oci/mixed:1']), id);
    const saved = join(d.root, 'mixed-saved.tar');
    await ok(['save', '-o', saved, 'example.com/oci/mixed:1']);
    await ok(['rmi', 'example.com/oci/mixed:1']);
    await ok(['load', '-i', saved]);
    assert.equal(await ok(['image', 'inspect', '--format', '{{.Id}}', 'example.com/oci/mixed:1']), id);
  });

  test('layers shared by several images are stored once', async () => {
    const base = await packTar([{ name: 'base.txt', content: 'shared base' }]);
    const images = ['one', 'two', 'three'].map(async (name) => ({
      tags: [`shared/${name}:1`],
      layers: [base, await packTar([{ name: `${name}.txt`, content: name }])],
    }));
    const { tar } = await dockerArchive(await Promise.all(images));
    const before = await storeCounts(d.dataRoot);
    const file = join(d.root, 'shared.tar');
    await writeFile(file, tar);
    await ok(['load', '-i', file]);
    const after = await storeCounts(d.dataRoot);
    // one base snapshot and three top ones; blobs: 4 layers, 3 configs, 3 manifests
    assert.equal(after.snapshots - before.snapshots, 4);
    assert.equal(after.blobs - before.blobs, 10);
    const df = await ok(['system', 'df', '-v']);
    assert.match(df, /shared\/one/);
  });

  test('images and tags survive a daemon crash and restart', async () => {
    const beforeList = await ok(['images', '-a', '--no-trunc']);
    await d.kill();
    await d.restart();
    assert.equal(await ok(['images', '-a', '--no-trunc']), beforeList);
    assert.match(await ok(['history', 'shared/two:1']), /test/);
  });
});
