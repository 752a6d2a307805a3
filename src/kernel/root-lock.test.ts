import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockRoot } from './root-lock.js';

test('a root is locked once: a second taker is refused with the holder pid, and can take it after release', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-lock-'));
  try {
    const first = await lockRoot(dir);
    assert.equal(await readFile(join(dir, 'berthd.lock'), 'utf8'), `${process.pid}\n`);
    await assert.rejects(lockRoot(dir), {
      message: `another berthd (pid ${process.pid}) is using ${dir}; stop it or choose another root`,
    });
    await first.release();
    const again = await lockRoot(dir);
    await again.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
