import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interleave, median, ratioOf, verdict } from './stats.js';

describe('median', () => {
  const cases: Array<[string, number[], number | undefined]> = [
    ['is undefined for no samples', [], undefined],
    ['is the middle sample of an odd count, whatever the order', [5, 1, 3], 3],
    ['is the mean of the two middle samples of an even count', [4, 1, 3, 2], 2.5],
  ];
  for (const [name, values, want] of cases) test(name, () => assert.equal(median(values), want));
});

describe('verdict', () => {
  const cases: Array<[string, number | undefined, 'lower' | 'higher', string]> = [
    ['passes a lower-is-better case at exactly the target', 0.7, 'lower', 'pass'],
    ['fails a lower-is-better case above the target', 0.71, 'lower', 'fail'],
    ['passes a higher-is-better case above the target', 1.5, 'higher', 'pass'],
    ['fails a higher-is-better case below the target', 0.69, 'higher', 'fail'],
    ['has no verdict without a ratio', undefined, 'lower', 'n/a'],
  ];
  for (const [name, ratio, better, want] of cases) {
    test(name, () => assert.equal(verdict(ratio, { ratio: 0.7, better }), want));
  }
});

describe('verdict with an absolute budget for berth', () => {
  const target = { ratio: 0.3, better: 'lower', berthAtMost: 2 } as const;
  const cases: Array<[string, number, number | undefined, string]> = [
    ['passes when both the ratio and the budget are met', 0.2, 1.5, 'pass'],
    ['fails when berth is over budget although the ratio is met', 0.2, 2.5, 'fail'],
    ['fails when the ratio is missed although berth is within budget', 0.5, 1.5, 'fail'],
    ['fails without a berth median to check the budget against', 0.2, undefined, 'fail'],
  ];
  for (const [name, ratio, berth, want] of cases) test(name, () => assert.equal(verdict(ratio, target, berth), want));
});

test('a ratio needs both medians and a non-zero dockerd median', () => {
  assert.equal(ratioOf(1, 2), 0.5);
  assert.equal(ratioOf(1, undefined), undefined);
  assert.equal(ratioOf(undefined, 2), undefined);
  assert.equal(ratioOf(1, 0), undefined);
});

test('interleave alternates which engine goes first', () => {
  assert.deepEqual(interleave(['berth', 'dockerd'], 0), ['berth', 'dockerd']);
  assert.deepEqual(interleave(['berth', 'dockerd'], 1), ['dockerd', 'berth']);
  assert.deepEqual(interleave(['dockerd'], 1), ['dockerd']);
});
