import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpus, parseGoDuration, parseMemory, timestampParam } from './flag-values.js';

describe('parseMemory', () => {
  const good: Array<[string, number]> = [
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['1.5k', 1536],
    ['100', 100],
    ['64 MB', 64 * 1024 ** 2],
  ];
  for (const [input, want] of good)
    test(`reads ${input} in binary units`, () => assert.equal(parseMemory(input), want));
  for (const input of ['foo', '', '1x', '-1m']) {
    test(`rejects "${input}" as docker does`, () => assert.throws(() => parseMemory(input), /invalid size/));
  }
});

describe('parseCpus', () => {
  test('turns decimal CPUs into NanoCpus', () => {
    assert.equal(parseCpus('1.5'), 1_500_000_000);
    assert.equal(parseCpus('2'), 2_000_000_000);
    assert.equal(parseCpus('.25'), 250_000_000);
  });
  test('rejects more than nine decimals and non-numbers', () => {
    assert.throws(() => parseCpus('0.0000000001'), /too precise/);
    assert.throws(() => parseCpus('two'), /rational number/);
  });
});

describe('parseGoDuration', () => {
  const cases: Array<[string, number]> = [
    ['0', 0],
    ['30s', 30e9],
    ['1m30s', 90e9],
    ['1.5h', 5400e9],
    ['250ms', 250e6],
    ['10us', 10e3],
  ];
  for (const [input, want] of cases) test(`reads ${input}`, () => assert.equal(parseGoDuration(input), want));
  test('rejects a number without a unit', () => assert.throws(() => parseGoDuration('10'), /invalid duration/));
});

describe('timestampParam', () => {
  const now = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));
  test('counts a duration back from now', () => assert.equal(timestampParam('10m', now), '1704109800.000000000'));
  test('passes Unix seconds through', () => assert.equal(timestampParam('1704067200.5', now), '1704067200.5'));
  test('converts an RFC 3339 date', () =>
    assert.equal(timestampParam('2024-01-01T00:00:00Z', now), '1704067200.000000000'));
  test('rejects anything else', () => assert.throws(() => timestampParam('yesterday', now), /failed to parse/));
});
