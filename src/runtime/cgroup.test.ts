import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerDir, parseProcCgroup } from './cgroup.js';
import { parseKeyValues, parseNumber, parsePerCpu, parseProcStat } from './cgroup-stats.js';
import { applyResourceUpdate, runcUpdateArgs } from './cgroup-update.js';

const HYBRID = `12:pids:/berth/abc
11:cpu,cpuacct:/berth/abc
4:memory:/berth/abc
1:name=systemd:/berth/abc
0::/berth/abc
`;

const UNIFIED = '0::/berth/abc\n';

const PROC_STAT = `cpu  550458 10 175200 411164 3867 0 3363 7 0 0
cpu0 267870 5 85366 216400 1023 0 1291 0 0 0
cpu1 282588 5 89834 194764 2844 0 2072 7 0 0
intr 1234
ctxt 5678
`;

const MEMORY_STAT = `cache 9449472
rss 4108288
hierarchical_memory_limit 9223372036854771712
total_inactive_file 482619392
`;

describe('locating cgroups from /proc/<pid>/cgroup', () => {
  test('a hybrid host gives one directory per v1 controller, combined controllers included', () => {
    const dirs = parseProcCgroup(HYBRID, '/cg');
    assert.equal(dirs?.version, 1);
    assert.equal(dirs && controllerDir(dirs, 'memory'), '/cg/memory/berth/abc');
    assert.equal(dirs && controllerDir(dirs, 'cpuacct'), '/cg/cpuacct/berth/abc');
    assert.equal(dirs && controllerDir(dirs, 'cpu'), '/cg/cpu/berth/abc');
    assert.equal(dirs && controllerDir(dirs, 'pids'), '/cg/pids/berth/abc');
    assert.equal(dirs && controllerDir(dirs, 'name=systemd'), undefined, 'named hierarchies are not controllers');
  });

  test('a unified host gives the one v2 directory for every controller', () => {
    const dirs = parseProcCgroup(UNIFIED, '/cg');
    assert.deepEqual(dirs, { version: 2, dir: '/cg/berth/abc' });
    assert.equal(dirs && controllerDir(dirs, 'memory'), '/cg/berth/abc');
  });

  test('text without cgroup lines locates nothing', () => {
    assert.equal(parseProcCgroup(''), undefined);
  });
});

describe('reading cgroup counter files', () => {
  test('key-value files keep numeric values only', () => {
    assert.deepEqual(parseKeyValues(MEMORY_STAT + 'weird x\n'), {
      cache: 9449472,
      rss: 4108288,
      hierarchical_memory_limit: 9223372036854771712,
      total_inactive_file: 482619392,
    });
  });

  const numbers: [string | undefined, number | undefined][] = [
    ['1048576\n', 1048576],
    ['max\n', undefined],
    [undefined, undefined],
    ['', undefined],
  ];
  for (const [text, expected] of numbers) {
    test(`a single-number file ${JSON.stringify(text)} reads as ${String(expected)}`, () => {
      assert.equal(parseNumber(text), expected);
    });
  }

  test('per-CPU usage is one number per CPU, and nothing when the file is empty', () => {
    assert.deepEqual(parsePerCpu('100 200 0 \n'), [100, 200, 0]);
    assert.equal(parsePerCpu(''), undefined);
  });

  test('/proc/stat gives the host CPU time in nanoseconds over the first seven fields, and the CPU count', () => {
    const ticks = 550458 + 10 + 175200 + 411164 + 3867 + 0 + 3363;
    assert.deepEqual(parseProcStat(PROC_STAT), { usageNs: ticks * 10_000_000, onlineCpus: 2 });
  });
});

describe('docker update', () => {
  test('zero and absent values leave settings unchanged; a present PidsLimit always applies', () => {
    const before = { Memory: 100 << 20, CpuShares: 512, PidsLimit: 50 };
    assert.deepEqual(applyResourceUpdate(before, { Memory: 0, CpuShares: 1024, PidsLimit: 0 }), {
      Memory: 100 << 20,
      CpuShares: 1024,
      PidsLimit: 0,
    });
    assert.deepEqual(applyResourceUpdate(before, {}), before);
  });

  test('runc update flags name only what is set, and an unlimited pids limit is -1', () => {
    assert.deepEqual(runcUpdateArgs({ memory: { limit: 67108864, swap: 134217728 }, cpu: { shares: 512 } }, 0), [
      '--memory',
      '67108864',
      '--memory-swap',
      '134217728',
      '--cpu-share',
      '512',
      '--pids-limit',
      '-1',
    ]);
    assert.deepEqual(runcUpdateArgs({}, undefined), []);
  });
});
