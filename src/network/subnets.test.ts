import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPrefix, parsePrefix, pickFreePool, prefixesOverlap } from './subnets.js';

describe('subnets', () => {
  test('a CIDR with host bits set is refused with the prefix Docker would suggest', () => {
    assert.throws(() => parsePrefix('10.1.2.3/16'), /it should be 10\.1\.0\.0\/16/);
  });

  for (const bad of ['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'x/8']) {
    test(`"${bad}" is not a CIDR`, () => assert.throws(() => parsePrefix(bad), /invalid CIDR address/));
  }

  const overlaps: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.2.0.0/16', false],
    ['192.168.0.0/24', '192.168.0.128/25', true],
    ['192.168.0.0/25', '192.168.0.128/25', false],
  ];
  for (const [a, b, want] of overlaps) {
    test(`${a} and ${b} ${want ? 'overlap' : 'do not overlap'}`, () => {
      assert.equal(prefixesOverlap(parsePrefix(a), parsePrefix(b)), want);
    });
  }

  test('the first free default pool skips taken ones, as Docker does', () => {
    assert.equal(formatPrefix(pickFreePool([])), '172.17.0.0/16');
    assert.equal(formatPrefix(pickFreePool([parsePrefix('172.16.0.0/12')])), '192.168.0.0/20');
  });
});
