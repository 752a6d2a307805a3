import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { busyboxRootfs, dockerArchive, packTar } from '../support/images.js';

interface InspectedImage {
  Id: string;
  RepoTags: string[];
  Config: { Cmd?: string[]; Env?: string[]; WorkingDir?: string };
  RootFS: { Layers: string[] };
}

describe('the docker CLI manages images on berthd', () => {
  let d: TestDaemon;
  let rootfs: Buffer;
  before(async () => {
    d = await startDaemon();
    rootfs = await busyboxRootfs();
  });
  after(() => d.stop());

  const ok = async (args: string[], input?: Buffer | string) => {
    const r = await d.docker(args, { input });
    assert.equal(r.code, 0, `docker ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };

  test('version and info talk to berth', async () => {
    assert.match(await ok(['version']), /Server: berth/);
    const info = await ok(['info']);
    assert.match(info, /Storage Driver: overlay2/);
    assert.match(info, new RegExp(`Docker Root Dir: ${d.dataRoot}`));
  });

  test('import makes an image with the changes applied, and it lists and inspects', async () => {
    const id = (
      await ok(['import', '-c', 'CMD ["sh"]', '-c', 'ENV A=1', '-c', 'WORKDIR /srv', '-', 'busybox:latest'], rootfs)
    ).trim();
    assert.match(id, /^sha256:[a-f0-9]{64}$/);
    assert.match(await ok(['images']), /busybox\s+latest\s+[a-f0-9]{12}/);
    const [inspect] = JSON.parse(await ok(['image', 'inspect', 'busybox'])) as [InspectedImage];
    assert.equal(inspect.Id, id);
    assert.deepEqual(inspect.Config.Cmd, ['sh']);
    assert.deepEqual(inspect.Config.Env, ['A=1']);
    assert.equal(inspect.Config.WorkingDir, '/srv');
    assert.deepEqual(inspect.RepoTags, ['busybox:latest']);
    assert.equal(inspect.RootFS.Layers.length, 1);
    assert.match(await ok(['history', 'busybox']), /Imported from -/);
    assert.equal((await ok(['images', '-q', '--no-trunc'])).trim(), id);
  });

  test('tag adds a name and rmi of one name only untags', async () => {
    await ok(['tag', 'busybox', 'example.com/team/box:v1']);
    assert.match(await ok(['images']), /example\.com\/team\/box\s+v1/);
    const out = await ok(['rmi', 'example.com/team/box:v1']);
    assert.match(out, /Untagged: example\.com\/team\/box:v1/);
    assert.doesNotMatch(out, /Deleted/);
    assert.match(await ok(['images']), /busybox/);
  });

  test('save then load gives back the same image ID', async () => {
    const file = join(d.root, 'busybox.tar');
    await ok(['save', '-o', file, 'busybox']);
    const id = JSON.parse(await ok(['image', 'inspect', 'busybox', '--format', '{{json .Id}}'])) as string;
    const out = await ok(['rmi', 'busybox']);
    assert.match(out, /Deleted: sha256:/);
    assert.match(await ok(['load', '-i', file]), /Loaded image: busybox:latest/);
    assert.equal(JSON.parse(await ok(['image', 'inspect', 'busybox', '--format', '{{json .Id}}'])), id);
    // the archive is both a docker-archive and an OCI layout
    const tarList = (await readFile(file)).toString('latin1');
    for (const name of ['manifest.json', 'index.json', 'oci-layout']) assert.ok(tarList.includes(name), name);
  });

  test('load of a multi-image archive tags each image; prune removes dangling ones', async () => {
    const a = await packTar([{ name: 'a.txt', content: 'a' }]);
    const b = await packTar([{ name: 'b.txt', content: 'b' }]);
    const { tar, ids } = await dockerArchive([
      { tags: ['multi/a:1'], layers: [a] },
      { tags: ['multi/b:1'], layers: [a, b] },
    ]);
    const file = join(d.root, 'multi.tar');
    await writeFile(file, tar);
    const out = await ok(['load', '-i', file]);
    assert.match(out, /Loaded image: multi\/a:1/);
    assert.match(out, /Loaded image: multi\/b:1/);
    await ok(['rmi', 'multi/a:1']);
    await ok(['tag', 'multi/b:1', 'multi/c:1']);
    await ok(['rmi', '-f', ids[1]!]);
    assert.doesNotMatch(await ok(['images']), /multi/);
    await ok(['load', '-i', file]);
    await ok(['import', '-', 'dangling:1'], rootfs);
    await ok(['import', '-', 'dangling:1'], rootfs); // re-pointing the tag leaves the first dangling
    assert.match(await ok(['images', '-f', 'dangling=true']), /<none>/);
    const pruned = await ok(['image', 'prune', '-f']);
    assert.match(pruned, /deleted: sha256:/i);
    assert.doesNotMatch(await ok(['images', '-f', 'dangling=true']), /<none>/);
    assert.match(await ok(['images', '-f', 'reference=multi/*']), /multi\/b/);
  });

  test('events replays image events by time and type', async () => {
    const until = Math.ceil(Date.now() / 1000) + 1;
    await ok(['tag', 'busybox', 'evented:1']);
    const out = await ok(['events', '--since', '0', '--until', String(until), '--filter', 'type=image']);
    assert.match(out, /image import sha256:[a-f0-9]{64}/);
    assert.match(out, /image tag sha256:[a-f0-9]{64} \(name=evented:1\)/);
    assert.match(out, /image load /);
    const untags = await ok(['events', '--since', '0', '--until', String(until), '--filter', 'event=untag']);
    assert.doesNotMatch(untags, /image (tag|load|import) /);
  });

  test('system df reports images and their sizes', async () => {
    const out = await ok(['system', 'df']);
    assert.match(out, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE/m);
    assert.match(out, /^Images\s+\d+/m);
    assert.match(await ok(['system', 'df', '-v']), /busybox/);
  });

  test('bad references and unknown images get one clear line and a Docker status', async () => {
    for (const [args, pattern] of [
      [['tag', 'busybox', 'Foo:Bar'], /invalid reference format/],
      [['tag', 'busybox', 'a::b'], /invalid reference format/],
      [['image', 'inspect', 'x@sha256:zz'], /invalid reference format|No such image/],
      [['rmi', 'nope:none'], /No such image: nope:none/],
      [['history', 'nope'], /No such image: nope/],
    ] as const) {
      const r = await d.docker([...args]);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, pattern, args.join(' '));
    }
    const bad = await d.api('POST', '/v1.47/images/busybox/tag?repo=Foo&tag=Bar');
    assert.equal(bad.status, 400);
    assert.match((JSON.parse(bad.body) as { message: string }).message, /must be lowercase/);
    const missing = await d.api('GET', '/v1.47/images/nope/json');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { message: 'No such image: nope:latest' });
  });
});
