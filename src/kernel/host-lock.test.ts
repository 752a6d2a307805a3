import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { withHostLock } from './host-lock.js';

test('holders of one host lock run one after the other, and a failure releases it', async () => {
  const name = `test-${process.pid}`;
  const events: string[] = [];
  const holder = (label: string, fail = false) =>
    withHostLock(name, async () => {
      events.push(`${label} in`);
      await sleep(30);
      events.push(`${label} out`);
      if (fail) throw new Error(`${label} failed`);
      return label;
    });
  try {
    const results = await Promise.allSettled([holder('a', true), holder('b'), holder('c')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
    for (let i = 0; i < events.length; i += 2) {
      assert.equal(events[i]!.replace(' in', ' out'), events[i + 1], `interleaved: ${events.join(', ')}`);
    }
  } finally {
    await rm(`/run/lock/berth-${name}.lock`, { force: true });
  }
});
