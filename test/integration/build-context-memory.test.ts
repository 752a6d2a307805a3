import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeContext } from '../support/build-context.js';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

const GB = 1024 * 1024 * 1024;

/** The pid of the berthd serving `dataRoot` (found by its command line). */
async function berthdPid(dataRoot: string): Promise<number> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('berthd') && cmdline.split('\0').includes(dataRoot)) return Number(name);
  }
  throw new Error(`no berthd for ${dataRoot}`);
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
}

describe('a 1 GB build context streams through berthd (needs root)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  test('the daemon RSS does not grow with the size of the context', async (t) => {
    const ctx = await writeContext({ Dockerfile: 'FROM busybox\nCOPY big.bin /big.bin\nRUN wc -c /big.bin\n' });
    await writeFile(join(ctx, 'big.bin'), '');
    await truncate(join(ctx, 'big.bin'), GB);
    const pid = await berthdPid(d.dataRoot);
    const baseline = await rssKiB(pid);
    let peak = baseline;
    let building = true;
    const sampling = (async () => {
      while (building) {
        peak = Math.max(peak, await rssKiB(pid));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const r = await d.docker(['build', '-t', 'big', ctx]);
    building = false;
    await sampling;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /1073741824 \/big\.bin/);
    const growthMiB = (peak - baseline) / 1024;
    t.diagnostic(`berthd RSS ${(baseline / 1024).toFixed(0)} MiB before, peak growth ${growthMiB.toFixed(0)} MiB`);
    assert.ok(growthMiB < 150, `berthd RSS grew by ${growthMiB.toFixed(0)} MiB during a 1 GiB build`);
  });
});
