import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bytesSize,
  createdSince,
  formatG,
  goDurationString,
  goTimeString,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  rfc3339,
} from './units.js';

process.env['TZ'] = 'UTC';

describe('formatG matches Go %.Ng', () => {
  const cases: Array<[number, number, string]> = [
    [0, 3, '0'],
    [4, 3, '4'],
    [4.26155, 3, '4.26'],
    [12.3, 4, '12.3'],
    [100, 3, '100'],
    [120, 4, '120'],
    [999.95, 3, '1e+03'],
    [999.4, 3, '999'],
    [123.4567, 3, '123'],
    [1234.5, 3, '1.23e+03'],
    [4.125, 3, '4.12'],
    [4.135, 3, '4.13'],
    [0.5, 3, '0.5'],
    [0.0001234, 3, '0.000123'],
    [0.00001234, 3, '1.23e-05'],
    [-1, 3, '-1'],
  ];
  for (const [x, p, want] of cases) {
    test(`%.${p}g of ${x} is ${want}`, () => assert.equal(formatG(x, p), want));
  }
});

describe('sizes print like go-units', () => {
  const cases: Array<[string, string, string]> = [
    [humanSizeWithPrecision(4261550, 3), '4.26MB', 'image size with 3 digits'],
    [humanSizeWithPrecision(999950, 3), '1e+03kB', 'just under a megabyte rounds into exponent form'],
    [humanSizeWithPrecision(1000, 3), '1kB', 'exactly one kilobyte'],
    [humanSizeWithPrecision(123456789, 3), '123MB', 'three integer digits'],
    [humanSizeWithPrecision(0, 3), '0B', 'zero bytes'],
    [humanSizeWithPrecision(512, 3), '512B', 'bytes below 1000'],
    [humanSize(4261550), '4.262MB', 'four digits by default'],
    [humanSize(32768), '32.77kB', 'progress-style kilobytes'],
    [humanSize(1e12), '1TB', 'terabytes'],
    [bytesSize(8233013248), '7.668GiB', 'binary units for memory'],
    [bytesSize(1024), '1KiB', 'one kibibyte'],
  ];
  for (const [got, want, name] of cases) test(`${name}: ${want}`, () => assert.equal(got, want));
});

describe('humanDuration matches go-units', () => {
  const s = 1000;
  const cases: Array<[number, string]> = [
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * s, '1 second'],
    [59 * s, '59 seconds'],
    [60 * s, 'About a minute'],
    [119 * s, 'About a minute'],
    [120 * s, '2 minutes'],
    [59 * 60 * s, '59 minutes'],
    [60 * 60 * s, 'About an hour'],
    [89 * 60 * s, 'About an hour'],
    [90 * 60 * s, '2 hours'],
    [47 * 3600 * s, '47 hours'],
    [48 * 3600 * s, '2 days'],
    [13 * 86400 * s, '13 days'],
    [14 * 86400 * s, '2 weeks'],
    [59 * 86400 * s, '8 weeks'],
    [60 * 86400 * s, '2 months'],
    [400 * 86400 * s, '13 months'],
    [730 * 86400 * s, '2 years'],
  ];
  for (const [ms, want] of cases) test(`${ms} ms reads "${want}"`, () => assert.equal(humanDuration(ms), want));

  test('createdSince appends "ago"', () => {
    const now = new Date(10_000_000);
    assert.equal(createdSince(10_000 - 7200, now), '2 hours ago');
  });
});

describe('Go time formats', () => {
  test('goDurationString prints whole seconds like Duration.String', () => {
    assert.deepEqual([0, 5, 90, 3605, -5].map(goDurationString), ['0s', '5s', '1m30s', '1h0m5s', '-5s']);
  });
  test('rfc3339 prints UTC with a Z', () => assert.equal(rfc3339(1714564800), '2024-05-01T12:00:00Z'));
  test('goTimeString prints offset and zone like Time.String', () => {
    assert.equal(goTimeString(1714564800), '2024-05-01 12:00:00 +0000 UTC');
  });
});
