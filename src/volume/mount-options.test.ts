import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MS, needsMount, parseMountOptions, validateDriverOptions } from './mount-options.js';

describe('parseMountOptions', () => {
  const cases: [string, number, string][] = [
    ['', 0, ''],
    ['size=1m', 0, 'size=1m'],
    ['bind', MS.BIND, ''],
    ['rbind,ro', MS.BIND | MS.REC | MS.RDONLY, ''],
    ['ro,rw', 0, ''],
    ['nosuid,nodev,size=64k,uid=1000', MS.NOSUID | MS.NODEV, 'size=64k,uid=1000'],
    ['addr=10.0.0.1,rw,nfsvers=4', 0, 'addr=10.0.0.1,nfsvers=4'],
  ];
  for (const [o, flags, data] of cases) {
    test(`splits "${o}" into flags and filesystem data`, () => {
      assert.deepEqual(parseMountOptions(o), { flags, data });
    });
  }
});

describe('validateDriverOptions', () => {
  const good: Record<string, string>[] = [
    {},
    { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' },
    { type: 'none', device: '/srv', o: 'bind' },
  ];
  for (const options of good) {
    test(`accepts ${JSON.stringify(options)}`, () => assert.doesNotThrow(() => validateDriverOptions(options)));
  }
  const bad: [Record<string, string>, RegExp][] = [
    [{ size: '1m' }, /invalid option: "size"/],
    [{ type: 'tmpfs' }, /missing required option: "device"/],
    [{ device: '/dev/sda1' }, /missing required option: "type"/],
    [{ o: 'size=1m' }, /missing required option: "type"/],
  ];
  for (const [options, message] of bad) {
    test(`refuses ${JSON.stringify(options)} with Docker's message`, () =>
      assert.throws(() => validateDriverOptions(options), message));
  }
});

test('only volumes with a type or device are mounted on first use', () => {
  assert.equal(needsMount({}), false);
  assert.equal(needsMount({ type: 'tmpfs', device: 'tmpfs' }), true);
});
