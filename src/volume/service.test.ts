import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEventBus, type EngineEvent } from '../events/index.js';
import { createLogger } from '../kernel/index.js';
import { openStateDatabase, type Db } from '../state/index.js';
import { createVolumeService, type VolumeService } from './service.js';

let dir: string;
let db: Db;
let volumes: VolumeService;
const events: EngineEvent[] = [];

const mounted = (path: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === path);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'volumes-'));
  db = openStateDatabase(join(dir, 'berth.db'));
  const bus = createEventBus();
  bus.subscribe((e) => events.push(e));
  volumes = createVolumeService({
    db,
    root: join(dir, 'volumes'),
    events: bus,
    logger: createLogger({ level: 'error' }),
  });
});
after(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

test('creating a name twice returns the first volume; another driver for it is a conflict', async () => {
  const first = await volumes.create({ name: 'db', labels: { a: '1' } });
  assert.equal(first.created, true);
  assert.equal(first.volume.Mountpoint, join(dir, 'volumes', 'db', '_data'));
  const again = await volumes.create({ name: 'db', labels: { b: '2' } });
  assert.equal(again.created, false);
  assert.deepEqual(again.volume.Labels, { a: '1' });
  await assert.rejects(volumes.create({ name: 'db', driver: 'nfs' }), { kind: 'conflict' });
  await assert.rejects(volumes.create({ name: 'other', driver: 'nfs' }), { kind: 'not-found' });
  await assert.rejects(volumes.create({ name: 'a/b' }), { kind: 'invalid-argument' });
  await assert.rejects(volumes.create({ name: 'bad', driverOpts: { size: '1' } }), { kind: 'invalid-argument' });
});

test('an anonymous volume gets a 64-hex name and the anonymous label', async () => {
  const { volume } = await volumes.create({ anonymous: true });
  assert.match(volume.Name, /^[0-9a-f]{64}$/);
  assert.deepEqual(volume.Labels, { 'com.docker.volume.anonymous': '' });
  await volumes.remove(volume.Name);
});

test('a tmpfs volume is mounted by its first user and unmounted by its last (needs root)', async () => {
  await volumes.create({ name: 'tmp', driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
  const data = volumes.mount('tmp', { containerId: 'c1', destination: '/t', readOnly: false });
  assert.ok(mounted(data));
  volumes.mount('tmp', { containerId: 'c2', destination: '/t', readOnly: true });
  volumes.unmount('tmp', 'c1');
  assert.ok(mounted(data), 'c2 still uses it');
  volumes.unmount('tmp', 'c2');
  assert.ok(!mounted(data));
  const actions = events.filter((e) => e.Actor.ID === 'tmp').map((e) => e.Action);
  assert.deepEqual(actions, ['create', 'mount', 'mount', 'unmount', 'unmount']);
  await volumes.remove('tmp');
});

test('prune removes unused anonymous volumes only, unless asked for all, and reports their size', async () => {
  const anon = (await volumes.create({ anonymous: true })).volume;
  const unnamed = (await volumes.create({})).volume;
  assert.deepEqual(unnamed.Labels, {}, 'a volume created without a name is not anonymous');
  await writeFile(join(anon.Mountpoint, 'f'), 'x'.repeat(100));
  const some = await volumes.prune({ anonymousOnly: true });
  assert.deepEqual(some, { VolumesDeleted: [anon.Name], SpaceReclaimed: 100 });
  const all = await volumes.prune({ anonymousOnly: false, filters: new Map([['label', ['a=1']]]) });
  assert.deepEqual(all.VolumesDeleted, ['db']);
  await volumes.remove(unnamed.Name);
  assert.deepEqual(volumes.list(), []);
});

test('removing a missing volume is not-found, unless forced', async () => {
  await assert.rejects(volumes.remove('ghost'), { kind: 'not-found', message: 'get ghost: no such volume' });
  await volumes.remove('ghost', { force: true });
});

test('after a restart, a volume left mounted for a container that is gone is unmounted (needs root)', async () => {
  await volumes.create({ name: 'left', driverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  const data = volumes.mount('left', { containerId: 'gone', destination: '/l', readOnly: false });
  const restarted = createVolumeService({
    db,
    root: join(dir, 'volumes'),
    events: createEventBus(),
    logger: createLogger({ level: 'error' }),
  });
  restarted.mount('left', { containerId: 'alive', destination: '/l', readOnly: false });
  restarted.unmountUnused();
  assert.ok(mounted(data), 'a running container took it back');
  restarted.unmount('left', 'alive');
  assert.ok(!mounted(data));
  volumes.mount('left', { containerId: 'gone', destination: '/l', readOnly: false });
  createVolumeService({
    db,
    root: join(dir, 'volumes'),
    events: createEventBus(),
    logger: createLogger(),
  }).unmountUnused();
  assert.ok(!mounted(data));
  await restarted.remove('left');
});
