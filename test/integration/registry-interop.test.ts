import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type TestDaemon } from '../support/daemon.js';
import { imageId, randomLayer, startRegistryDaemon } from '../support/distribution.js';
import { dockerdSkipReason, startDockerd, type ReferenceDockerd } from '../support/dockerd.js';
import { busyboxRootfs, dockerArchive } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const SKOPEO = '/usr/bin/skopeo';

describe('images move between berth, real Docker and skopeo through a registry', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  let loadedId: string;
  before(async () => {
    registry = await startRegistry();
    d = await startRegistryDaemon();
    const archive = join(d.root, 'app.tar');
    const layers = [await busyboxRootfs(), await randomLayer('app.bin', 300_000)];
    const made = await dockerArchive([{ tags: ['app:v1'], layers, config: { config: { Cmd: ['sh'] } } }]);
    await writeFile(archive, made.tar);
    assert.equal((await d.docker(['load', '-i', archive])).code, 0);
    loadedId = made.ids[0]!;
    assert.equal((await d.docker(['tag', 'app:v1', `${registry.host}/interop/app:v1`])).code, 0);
    const push = await d.docker(['push', `${registry.host}/interop/app:v1`]);
    assert.equal(push.code, 0, push.stderr);
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('real dockerd pulls what berth pushed, with the same image ID', { skip: dockerdSkipReason() }, async () => {
    let dockerd: ReferenceDockerd | undefined;
    try {
      dockerd = await startDockerd(d.root);
      const pull = await dockerd.docker(['pull', `${registry.host}/interop/app:v1`]);
      assert.equal(pull.code, 0, pull.stderr);
      const id = await dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', `${registry.host}/interop/app:v1`]);
      assert.equal(id.stdout.trim(), loadedId);
    } finally {
      await dockerd?.stop();
    }
  });

  test('skopeo reads what berth pushed: the same config, so the same image ID', { skip: skopeoSkip() }, async () => {
    const ref = `docker://${registry.host}/interop/app:v1`;
    const config = await run(SKOPEO, ['inspect', '--tls-verify=false', '--raw', '--config', ref]);
    assert.equal(config.code, 0, config.stderr);
    assert.equal(`sha256:${createHash('sha256').update(config.stdout).digest('hex')}`, loadedId);
    const inspect = await run(SKOPEO, ['inspect', '--tls-verify=false', ref]);
    assert.equal((JSON.parse(inspect.stdout) as { Layers: string[] }).Layers.length, 2);
  });

  test('berth pulls what skopeo pushed, with the same image ID', { skip: skopeoSkip() }, async () => {
    const archive = join(d.root, 'skopeo-src.tar');
    const made = await dockerArchive([{ tags: ['from/skopeo:v1'], layers: [await randomLayer('s.bin', 100_000)] }]);
    await writeFile(archive, made.tar);
    const target = `docker://${registry.host}/from/skopeo:v1`;
    const copy = await run(SKOPEO, ['copy', '-q', '--dest-tls-verify=false', `docker-archive:${archive}`, target]);
    assert.equal(copy.code, 0, copy.stderr);
    const pull = await d.docker(['pull', `${registry.host}/from/skopeo:v1`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, `${registry.host}/from/skopeo:v1`), made.ids[0]);
  });
});

function skopeoSkip(): string | false {
  return existsSync(SKOPEO) ? false : 'skopeo is not installed (npm run setup installs it)';
}
