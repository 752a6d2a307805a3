import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachLimited } from './distribution.js';

describe('forEachLimited', () => {
  test('never runs more than the limit at once and reports the queued items', async () => {
    let running = 0;
    let peak = 0;
    const queued: number[] = [];
    await forEachLimited(
      [1, 2, 3, 4, 5],
      2,
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
      },
      (n) => queued.push(n),
    );
    assert.equal(peak, 2);
    assert.deepEqual(queued, [3, 4, 5]);
  });

  test('a failure stops new work, waits for running work and is thrown', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      forEachLimited([1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        await new Promise((r) => setImmediate(r));
        settled++;
        if (n === 1) throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(settled, started.length);
    assert.ok(!started.includes(4));
  });
});
