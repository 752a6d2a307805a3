import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../kernel/index.js';
import { addFilter, encodeFilters, parseFilters } from './filters.js';

describe('parseFilters', () => {
  const cases: Array<[string[], Record<string, string[]>]> = [
    [[], {}],
    [['dangling=true'], { dangling: ['true'] }],
    [['dangling=true', 'label=a=b'], { dangling: ['true'], label: ['a=b'] }],
    [['label=a', 'label=b', 'label=a'], { label: ['a', 'b'] }],
    [[' Reference = busybox '], { reference: ['busybox'] }],
    [['until='], { until: [''] }],
    [[''], {}],
  ];
  for (const [flags, want] of cases) {
    test(`${JSON.stringify(flags)} becomes ${JSON.stringify(want)}`, () => assert.deepEqual(parseFilters(flags), want));
  }

  test('a flag without "=" is refused with docker\'s message', () => {
    assert.throws(
      () => parseFilters(['dangling']),
      (e: unknown) => isBerthError(e, 'invalid-argument') && e.message === 'bad format of filter (expected name=value)',
    );
  });
});

describe('encodeFilters', () => {
  test('encodes the JSON docker sends in the filters parameter', () => {
    const f = parseFilters(['dangling=true', 'label=a=b']);
    assert.equal(encodeFilters(f), '{"dangling":["true"],"label":["a=b"]}');
  });
  test('leaves the parameter out when there are no filters', () => assert.equal(encodeFilters({}), undefined));
  test('addFilter keeps values unique', () => {
    const f = {};
    addFilter(f, 'reference', 'x');
    addFilter(f, 'reference', 'x');
    assert.deepEqual(f, { reference: ['x'] });
  });
});
