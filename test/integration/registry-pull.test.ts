import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestDaemon } from '../support/daemon.js';
import { busyboxRootfs, dockerArchive } from '../support/images.js';
import { idOf, imageId, pushBusybox, randomLayer, startRegistryDaemon } from '../support/distribution.js';
import { pushImage, pushIndex, startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

describe('pull and push with the docker CLI against an anonymous registry', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  let busybox: PushedImage;
  before(async () => {
    registry = await startRegistry();
    d = await startRegistryDaemon();
    busybox = await pushBusybox(registry, 'busybox');
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('docker pull fetches the image with Docker progress lines, and docker run runs it', async () => {
    const name = `${registry.host}/busybox`;
    const pull = await d.docker(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    const layer = busybox.layers[0]!.digest.slice(7, 19);
    assert.match(pull.stdout, /latest: Pulling from busybox/);
    assert.match(pull.stdout, new RegExp(`${layer}: Pull complete`));
    assert.match(pull.stdout, new RegExp(`Digest: ${busybox.digest}`));
    assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${name}:latest`));
    assert.equal(await imageId(d, name), idOf(busybox));
    const run = await d.docker(['run', '--rm', name, 'echo', 'pulled and running']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'pulled and running\n');
  });

  test('the tag and the repo digest are recorded, and a second pull is up to date', async () => {
    const name = `${registry.host}/busybox`;
    const inspect = await d.docker(['image', 'inspect', '--format', '{{json .RepoTags}} {{json .RepoDigests}}', name]);
    assert.equal(inspect.stdout.trim(), `["${name}:latest"] ["${name}@${busybox.digest}"]`);
    const again = await d.docker(['pull', name]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`Status: Image is up to date for ${name}:latest`));
    assert.doesNotMatch(again.stdout, /Pull complete/);
  });

  test('a pull by digest gives the same image', async () => {
    const byDigest = `${registry.host}/busybox@${busybox.digest}`;
    const pull = await d.docker(['pull', byDigest]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, byDigest), idOf(busybox));
  });

  test('layers already present say "Already exists" and are not downloaded again', async () => {
    const top = await randomLayer('top.bin', 4096);
    const { layers } = busybox;
    assert.ok(layers.length === 1);
    const derived = await pushImage(registry, 'derived', 'v1', {
      layers: [await busyboxRootfs(), top],
    });
    const pull = await d.docker(['pull', `${registry.host}/derived:v1`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`${layers[0]!.digest.slice(7, 19)}: Already exists`));
    assert.match(pull.stdout, new RegExp(`${derived.layers[1]!.digest.slice(7, 19)}: Pull complete`));
    assert.equal(await imageId(d, `${registry.host}/derived:v1`), idOf(derived));
  });

  test('docker push uploads an image and a pull by the pushed digest gives the same image ID', async () => {
    const source = `${registry.host}/busybox`;
    const target = `${registry.host}/pushed/app:v2`;
    assert.equal((await d.docker(['tag', source, target])).code, 0);
    const push = await d.docker(['push', target]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, new RegExp(`The push refers to repository \\[${registry.host}/pushed/app\\]`));
    assert.match(push.stdout, /Mounted from busybox|Pushed/);
    const digest = /v2: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(push.stdout)?.[1];
    assert.ok(digest, push.stdout);
    assert.equal((await d.docker(['rmi', target, source, `${registry.host}/busybox@${busybox.digest}`])).code, 0);
    const pull = await d.docker(['pull', `${registry.host}/pushed/app@${digest}`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, `${registry.host}/pushed/app@${digest}`), idOf(busybox));
  });

  test('a pushed image loaded from an archive keeps its ID when pulled back', async () => {
    const archive = join(d.root, 'two-layers.tar');
    const layers = [await randomLayer('a.bin', 100_000), await randomLayer('b.bin', 50_000)];
    await writeFile(archive, (await dockerArchive([{ tags: ['loaded:v1'], layers }])).tar);
    assert.equal((await d.docker(['load', '-i', archive])).code, 0);
    const id = await imageId(d, 'loaded:v1');
    const target = `${registry.host}/loaded:v1`;
    assert.equal((await d.docker(['tag', 'loaded:v1', target])).code, 0);
    const push = await d.docker(['push', target]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /Pushed/);
    const digest = /v1: digest: (sha256:[a-f0-9]{64})/.exec(push.stdout)?.[1];
    assert.equal((await d.docker(['rmi', '-f', id])).code, 0);
    const pull = await d.docker(['pull', `${target.replace(/:v1$/, '')}@${digest}`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, `${registry.host}/loaded@${digest}`), id);
  });

  test('berth run of a missing image pulls it first, as docker run does', async () => {
    const img = await pushBusybox(registry, 'runme');
    const r = await d.berth(['run', '--rm', `${registry.host}/runme`, 'echo', 'ran']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ran\n');
    assert.match(r.stderr, new RegExp(`Unable to find image '${registry.host}/runme:latest' locally`));
    assert.equal(await imageId(d, `${registry.host}/runme`), idOf(img));
    const never = await d.berth(['run', '--rm', '--pull', 'never', `${registry.host}/absent`, 'true']);
    assert.notEqual(never.code, 0);
    assert.match(never.stderr, /No such image/);
  });

  test('berth pull and berth push print Docker-style output', async () => {
    const pull = await d.berth(['pull', `${registry.host}/busybox`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /Status: (Downloaded newer image|Image is up to date) for/);
    assert.match(pull.stdout, new RegExp(`^${registry.host}/busybox:latest$`, 'm'));
    const quiet = await d.berth(['pull', '-q', `${registry.host}/busybox`]);
    assert.equal(quiet.stdout, `${registry.host}/busybox:latest\n`);
    assert.equal((await d.berth(['tag', `${registry.host}/busybox`, `${registry.host}/berth-pushed`])).code, 0);
    const push = await d.berth(['push', `${registry.host}/berth-pushed`]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /latest: digest: sha256:[a-f0-9]{64} size: \d+/);
  });

  test('GET /distribution/{name}/json describes the manifest and its platform', async () => {
    const r = await d.api('GET', `/v1.47/distribution/${registry.host}/busybox/json`);
    assert.equal(r.status, 200, r.body);
    const body = JSON.parse(r.body) as { Descriptor: { digest: string }; Platforms: { os: string }[] };
    assert.equal(body.Descriptor.digest, busybox.digest);
    assert.deepEqual(body.Platforms, [{ architecture: 'amd64', os: 'linux' }]);
  });
});

describe('a multi-platform index', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  let amd64: PushedImage;
  let arm64: PushedImage;
  before(async () => {
    registry = await startRegistry();
    d = await startRegistryDaemon();
    amd64 = await pushBusybox(registry, 'multi', 'amd64-only', { architecture: 'amd64' });
    arm64 = await pushImage(registry, 'multi', 'arm64-only', {
      layers: [await randomLayer('arm.bin', 1000)],
      config: { architecture: 'arm64', variant: 'v8' },
    });
    await pushIndex(registry, 'multi', 'latest', [
      { image: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { image: amd64, platform: { os: 'linux', architecture: 'amd64' } },
    ]);
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('resolves to linux/amd64 by default and records the index digest', async () => {
    const pull = await d.docker(['pull', `${registry.host}/multi`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, `${registry.host}/multi`), idOf(amd64));
  });

  test('--platform linux/arm64 picks the other manifest', async () => {
    const pull = await d.docker(['pull', '--platform', 'linux/arm64', `${registry.host}/multi`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, `${registry.host}/multi`), idOf(arm64));
  });

  test('a platform the index does not have is a clear error', async () => {
    const pull = await d.docker(['pull', '--platform', 'linux/s390x', `${registry.host}/multi`]);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /no matching manifest for linux\/s390x/);
  });

  test('GET /distribution lists both platforms', async () => {
    const r = await d.api('GET', `/distribution/${registry.host}/multi/json`);
    assert.equal(r.status, 200, r.body);
    const body = JSON.parse(r.body) as { Platforms: { architecture: string }[] };
    assert.deepEqual(body.Platforms.map((p) => p.architecture).sort(), ['amd64', 'arm64']);
  });
});
