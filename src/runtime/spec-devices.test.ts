import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkDeviceMappings, hostDevices } from './spec-devices.js';

describe('--device', () => {
  test('a device node becomes a container device and a cgroup rule with the access asked', async () => {
    const got = await hostDevices([{ PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'rw' }]);
    assert.deepEqual(got.rules, [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rw' }]);
    const [device] = got.devices;
    assert.equal(got.devices.length, 1);
    assert.deepEqual([device?.path, device?.type, device?.major, device?.minor], ['/dev/n', 'c', 1, 3]);
  });

  test('the container path defaults to the host path, the access to rwm', async () => {
    const got = await hostDevices([{ PathOnHost: '/dev/null' }]);
    assert.equal(got.devices[0]?.path, '/dev/null');
    assert.equal(got.rules[0]?.access, 'rwm');
  });

  test('a missing path or one that is not a device is refused in Docker words', async () => {
    await assert.rejects(
      hostDevices([{ PathOnHost: '/dev/berth-none' }]),
      /adding custom device "\/dev\/berth-none": no such file/,
    );
    await assert.rejects(hostDevices([{ PathOnHost: '/proc/version' }]), /not a device node/);
  });

  test('relative paths and bad permissions are refused before anything is looked up', () => {
    assert.throws(() => checkDeviceMappings([{ PathOnHost: 'dev/null' }]), /must be absolute/);
    assert.throws(() => checkDeviceMappings([{ PathOnHost: '/dev/null', PathInContainer: 'x' }]), /must be absolute/);
    assert.throws(
      () => checkDeviceMappings([{ PathOnHost: '/dev/null', CgroupPermissions: 'rx' }]),
      /invalid device mode/,
    );
    assert.doesNotThrow(() => checkDeviceMappings([{ PathOnHost: '/dev/null', CgroupPermissions: 'mr' }]));
  });
});
