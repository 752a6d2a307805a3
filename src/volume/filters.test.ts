import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VolumeRow } from '../state/index.js';
import { matchesVolumeFilters } from './filters.js';

const row = (name: string, labels: Record<string, string> = {}): VolumeRow => ({
  name,
  driver: 'local',
  created: 0,
  labels,
  options: {},
  anonymous: false,
});

const cases: [
  string,
  Record<string, string[]>,
  { name: string; labels?: Record<string, string>; inUse: boolean },
  boolean,
][] = [
  ['no filters match everything', {}, { name: 'db', inUse: false }, true],
  ['name matches a substring', { name: ['ata'] }, { name: 'data', inUse: false }, true],
  ['name that does not occur', { name: ['web'] }, { name: 'data', inUse: false }, false],
  ['driver local', { driver: ['local'] }, { name: 'db', inUse: false }, true],
  ['another driver', { driver: ['nfs'] }, { name: 'db', inUse: false }, false],
  ['dangling=true keeps unused', { dangling: ['true'] }, { name: 'db', inUse: false }, true],
  ['dangling=true drops used', { dangling: ['1'] }, { name: 'db', inUse: true }, false],
  ['dangling=false keeps used', { dangling: ['false'] }, { name: 'db', inUse: true }, true],
  ['label key present', { label: ['tier'] }, { name: 'db', labels: { tier: 'x' }, inUse: false }, true],
  ['label key=value differs', { label: ['tier=y'] }, { name: 'db', labels: { tier: 'x' }, inUse: false }, false],
  ['every label must match', { label: ['a', 'b'] }, { name: 'db', labels: { a: '' }, inUse: false }, false],
  ['label! excludes', { 'label!': ['keep'] }, { name: 'db', labels: { keep: '' }, inUse: false }, false],
];

for (const [what, filters, subject, expected] of cases) {
  test(`volume filters: ${what}`, () => {
    const got = matchesVolumeFilters(
      { row: row(subject.name, subject.labels), inUse: subject.inUse },
      new Map(Object.entries(filters)),
    );
    assert.equal(got, expected);
  });
}

test('a contradictory dangling filter is refused', () => {
  assert.throws(
    () => matchesVolumeFilters({ row: row('db'), inUse: false }, new Map([['dangling', ['true', 'false']]])),
    /invalid filter/,
  );
});
