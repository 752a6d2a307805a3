import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartDelay, restartPolicyError, shouldRestart } from './restart-policy.js';
import { initialState } from './types.js';

test('restart policies decide like Docker', () => {
  const exited = (exitCode: number, restartCount = 0, manuallyStopped = false) => ({
    ...initialState(),
    status: 'exited' as const,
    exitCode,
    restartCount,
    manuallyStopped,
  });
  const cases: [string, number, number, number, boolean][] = [
    // policy, retries, exit code, restarts so far, want
    ['no', 0, 1, 0, false],
    ['always', 0, 0, 5, true],
    ['unless-stopped', 0, 0, 0, true],
    ['on-failure', 0, 0, 0, false],
    ['on-failure', 0, 1, 9, true],
    ['on-failure', 2, 1, 1, true],
    ['on-failure', 2, 1, 2, false],
  ];
  for (const [Name, MaximumRetryCount, code, count, want] of cases) {
    assert.equal(
      shouldRestart({ Name: Name as 'no', MaximumRetryCount }, exited(code, count)),
      want,
      `${Name}:${MaximumRetryCount} ${code} ${count}`,
    );
  }
  assert.equal(shouldRestart({ Name: 'always' }, exited(0, 0, true)), false, 'a manual stop wins');
});

test('backoff doubles from 100 ms to a minute and resets after 10 s of running', () => {
  const s = (restartCount: number) => ({ ...initialState(), restartCount });
  assert.equal(restartDelay(s(0), 50), 100);
  assert.equal(restartDelay(s(3), 50), 800);
  assert.equal(restartDelay(s(20), 50), 60_000);
  assert.equal(restartDelay(s(20), 10_000), 100);
});

test('bad policies are refused with Docker wording', () => {
  assert.match(restartPolicyError({ Name: 'sometimes' as 'no' }, false)!, /invalid restart policy 'sometimes'/);
  assert.match(restartPolicyError({ Name: 'always', MaximumRetryCount: 2 }, false)!, /only be used with 'on-failure'/);
  assert.match(restartPolicyError({ Name: 'always' }, true)!, /AutoRemove/);
  assert.equal(restartPolicyError({ Name: 'on-failure', MaximumRetryCount: 3 }, false), undefined);
});
