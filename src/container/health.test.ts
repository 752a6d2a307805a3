import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyProbeResult, goDuration, healthProbeOf, startingHealth } from './health.js';
import type { ContainerHealth, HealthcheckResult } from './types.js';

const S = 1e9;

describe('healthProbeOf', () => {
  test('reads the test command and fills in Docker defaults', () => {
    const cases: [string, Parameters<typeof healthProbeOf>[0], ReturnType<typeof healthProbeOf>][] = [
      ['absent', undefined, undefined],
      ['NONE disables', { Test: ['NONE'] }, undefined],
      ['empty test', { Test: [] }, undefined],
      ['CMD without args', { Test: ['CMD'] }, undefined],
      [
        'CMD-SHELL goes through /bin/sh -c with defaults',
        { Test: ['CMD-SHELL', 'exit 1'] },
        { args: ['/bin/sh', '-c', 'exit 1'], intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, retries: 3 },
      ],
      [
        'CMD is exec form, nanosecond timings',
        { Test: ['CMD', 'true', 'x'], Interval: 0.2 * S, Timeout: 2 * S, StartPeriod: 5 * S, Retries: 2 },
        { args: ['true', 'x'], intervalMs: 200, timeoutMs: 2000, startPeriodMs: 5000, retries: 2 },
      ],
    ];
    for (const [what, config, want] of cases) assert.deepEqual(healthProbeOf(config), want, what);
  });
});

describe('applyProbeResult', () => {
  const result = (ExitCode: number): HealthcheckResult => ({ Start: 's', End: 'e', ExitCode, Output: '' });
  const run = (codes: number[], context = { retries: 2, inStartPeriod: false }): ContainerHealth =>
    codes.reduce((h, code) => applyProbeResult(h, result(code), context), startingHealth(undefined));

  test('a success makes the container healthy and clears the streak', () => {
    assert.deepEqual({ ...run([1, 0]), log: [] }, { status: 'healthy', failingStreak: 0, log: [] });
  });

  test('it turns unhealthy only after `retries` failures in a row', () => {
    assert.equal(run([1]).status, 'starting');
    assert.equal(run([1]).failingStreak, 1);
    assert.equal(run([1, 1]).status, 'unhealthy');
    assert.equal(run([0, 1]).status, 'healthy');
    assert.equal(run([0, 1, -1]).status, 'unhealthy');
  });

  test('failures during the start period do not count while still starting', () => {
    const h = run([1, 1, 1], { retries: 1, inStartPeriod: true });
    assert.equal(h.status, 'starting');
    assert.equal(h.failingStreak, 0);
    assert.equal(h.log.length, 3);
  });

  test('the log keeps the last five results, oldest first', () => {
    const h = run([1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(
      h.log.map((r) => r.ExitCode),
      [3, 4, 5, 6, 7],
    );
  });

  test('a restart begins as starting and keeps the previous log', () => {
    const h = startingHealth(run([1, 1]));
    assert.equal(h.status, 'starting');
    assert.equal(h.failingStreak, 0);
    assert.equal(h.log.length, 2);
  });
});

test('timeouts are printed as Go durations', () => {
  const cases: [number, string][] = [
    [200, '200ms'],
    [30_000, '30s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
  ];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want);
});
