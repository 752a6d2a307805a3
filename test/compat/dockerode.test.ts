import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { busyboxRootfs } from '../support/images.js';

describe('dockerode works against berthd unchanged', () => {
  let d: TestDaemon;
  let docker: Docker;
  before(async () => {
    d = await startDaemon();
    docker = new Docker({ socketPath: d.socket });
    const r = await d.docker(['import', '-', 'busybox:latest'], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => d.stop());

  test('ping, version and info answer', async () => {
    assert.equal(String(await docker.ping()), 'OK');
    const version = await docker.version();
    assert.equal(version.ApiVersion, '1.47');
    const info = (await docker.info()) as { Images: number; Driver: string };
    assert.equal(info.Images, 1);
    assert.equal(info.Driver, 'overlay2');
  });

  test('listImages and getImage().inspect() describe the image', async () => {
    const images = await docker.listImages();
    assert.equal(images.length, 1);
    assert.deepEqual(images[0]!.RepoTags, ['busybox:latest']);
    const inspect = await docker.getImage('busybox').inspect();
    assert.equal(inspect.Id, images[0]!.Id);
    assert.equal(inspect.Os, 'linux');
    assert.equal(inspect.RootFS.Layers?.length, 1);
  });

  test('a missing image is a 404 with Docker message', async () => {
    await assert.rejects(
      docker.getImage('nope:1').inspect(),
      (e: { statusCode?: number; json?: { message?: string } }) => {
        assert.equal(e.statusCode, 404);
        assert.equal(e.json?.message, 'No such image: nope:1');
        return true;
      },
    );
  });

  test('tag and remove through dockerode', async () => {
    await docker.getImage('busybox').tag({ repo: 'copy', tag: 'v1' });
    const removed = (await docker.getImage('copy:v1').remove()) as { Untagged?: string }[];
    assert.deepEqual(removed, [{ Untagged: 'copy:v1' }]);
  });
});
