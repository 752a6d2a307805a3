import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, untilMs } from './filters.js';

test('reference patterns match like Go path.Match', () => {
  const cases: [string, string, boolean][] = [
    ['busybox', 'busybox', true],
    ['busy*', 'busybox', true],
    ['multi/*', 'multi/a', true],
    ['*', 'multi/a', false],
    ['multi/?', 'multi/a', true],
    ['multi/[ab]', 'multi/b', true],
    ['multi/[!ab]', 'multi/b', false],
    ['a.b', 'axb', false],
    ['example.com:5000/x', 'example.com:5000/x', true],
  ];
  for (const [pattern, name, want] of cases)
    assert.equal(globToRegExp(pattern).test(name), want, `${pattern} ~ ${name}`);
  assert.throws(() => globToRegExp('[oops'), /invalid reference filter pattern/);
});

test('until takes Unix seconds, RFC 3339 dates and durations before now', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  assert.equal(untilMs('1700000000', now), 1_700_000_000_000);
  assert.equal(untilMs('2026-01-01T00:00:00Z', now), Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(untilMs('10m', now), now - 600_000);
  assert.equal(untilMs('24h', now), now - 86_400_000);
  assert.throws(() => untilMs('yesterday', now), /invalid filter 'until=yesterday'/);
});
