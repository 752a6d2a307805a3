import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { ociLayout } from '../support/images.js';
import { execFileSync } from 'node:child_process';

const SKOPEO = '/usr/bin/skopeo';
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const skip = existsSync(SKOPEO) ? false : 'skopeo is not installed (npm run setup installs it)';

describe('images move between berth and skopeo', { skip }, () => {
  let d: TestDaemon;
  before(async () => {
    d = await startDaemon();
  });
  after(() => d.stop());

  test('a two-layer image with a whiteout, written by skopeo, loads with the same ID and a correct merged view', async () => {
    const layout = join(d.root, 'layout');
    await ociLayout(layout, [
      [
        { name: 'keep.txt', content: 'keep' },
        { name: 'gone.txt', content: 'gone' },
        { name: 'd', type: 'directory' },
        { name: 'd/old', content: 'old' },
      ],
      [
        { name: '.wh.gone.txt', content: '' },
        { name: 'd', type: 'directory' },
        { name: 'd/.wh..wh..opq', content: '' },
        { name: 'd/new', content: 'new' },
      ],
    ]);
    const archive = join(d.root, 'skopeo.tar');
    execFileSync(SKOPEO, ['copy', '-q', `oci:${layout}:test`, `docker-archive:${archive}:wh/test:1`]);
    const configDigest = `sha256:${sha256(execFileSync(SKOPEO, ['inspect', '--raw', '--config', `docker-archive:${archive}`]))}`;
    const load = await d.docker(['load', '-i', archive]);
    assert.equal(load.code, 0, load.stderr);
    const inspect = JSON.parse((await d.docker(['image', 'inspect', 'wh/test:1'])).stdout) as [
      { Id: string; GraphDriver: { Data: { LowerDir: string; UpperDir: string } } },
    ];
    assert.equal(inspect[0].Id, configDigest);

    const { LowerDir, UpperDir } = inspect[0].GraphDriver.Data;
    const merged = join(d.root, 'merged');
    await mkdir(merged);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${UpperDir}:${LowerDir}`, merged]);
    try {
      assert.ok(existsSync(join(merged, 'keep.txt')));
      assert.ok(!existsSync(join(merged, 'gone.txt')), 'the whiteout hides gone.txt');
      assert.ok(!existsSync(join(merged, 'd/old')), 'the opaque directory hides the lower d/old');
      assert.ok(existsSync(join(merged, 'd/new')));
    } finally {
      execFileSync('umount', [merged]);
    }
  });

  test('what berth saves reads in skopeo as a docker-archive and as an OCI archive, with the same config', async () => {
    const saved = join(d.root, 'saved.tar');
    assert.equal((await d.docker(['save', '-o', saved, 'wh/test:1'])).code, 0);
    const id = (await d.docker(['image', 'inspect', '--format', '{{.Id}}', 'wh/test:1'])).stdout.trim();
    for (const transport of ['docker-archive', 'oci-archive']) {
      const config = execFileSync(SKOPEO, ['inspect', '--raw', '--config', `${transport}:${saved}`]);
      assert.equal(`sha256:${sha256(config)}`, id, transport);
    }
    const copy = join(d.root, 'copy');
    execFileSync(SKOPEO, ['copy', '-q', `docker-archive:${saved}`, `oci:${copy}:again`]);
    assert.ok(existsSync(join(copy, 'index.json')));
  });
});
