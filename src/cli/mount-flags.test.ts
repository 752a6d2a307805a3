import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMountFlag, volumeSettings } from './mount-flags.js';

test('-v with a source is a bind string; -v with a path alone is an anonymous volume', () => {
  assert.deepEqual(volumeSettings({ volume: ['db:/data:ro', '/host:/h', '/scratch'], volumesFrom: ['c1:ro'] }), {
    volumes: { '/scratch': {} },
    binds: ['db:/data:ro', '/host:/h'],
    mounts: [],
    volumesFrom: ['c1:ro'],
  });
});

const cases: [string, object][] = [
  ['type=volume,source=db,target=/data', { Type: 'volume', Source: 'db', Target: '/data' }],
  ['target=/data,readonly', { Type: 'volume', Target: '/data', ReadOnly: true }],
  [
    'type=bind,src=/srv,dst=/srv,ro=false,bind-propagation=rslave',
    {
      Type: 'bind',
      Source: '/srv',
      Target: '/srv',
      ReadOnly: false,
      BindOptions: { Propagation: 'rslave' },
    },
  ],
  [
    'type=volume,target=/d,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs,"volume-opt=o=size=1m,uid=5"',
    {
      Type: 'volume',
      Target: '/d',
      VolumeOptions: {
        NoCopy: true,
        Labels: { a: 'b' },
        DriverConfig: { Options: { type: 'tmpfs', o: 'size=1m,uid=5' } },
      },
    },
  ],
  [
    'type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770',
    {
      Type: 'tmpfs',
      Target: '/t',
      TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1770 },
    },
  ],
];
for (const [spec, expected] of cases) {
  test(`--mount ${spec} is sent as the docker CLI sends it`, () => assert.deepEqual(parseMountFlag(spec), expected));
}

test('--mount refuses unknown keys, bad booleans and a missing target', () => {
  assert.throws(() => parseMountFlag('type=volume,target=/d,colour=red'), /unexpected key 'colour'/);
  assert.throws(() => parseMountFlag('target=/d,readonly=maybe'), /invalid value for readonly/);
  assert.throws(() => parseMountFlag('type=volume,source=db'), /target is required/);
});
