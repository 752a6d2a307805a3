import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeSpecError } from '../spec/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { buildRuntimeSpec } from './spec.js';
import { testInput } from './spec-testing.js';

const mib = 1024 * 1024;

test('resource settings become linux.resources as Docker sets them', () => {
  const cases: { name: string; hc: Api.HostConfig; want: Partial<OciRuntime.LinuxResources> }[] = [
    {
      name: 'memory defaults swap to twice',
      hc: { Memory: 64 * mib },
      want: { memory: { limit: 64 * mib, swap: 128 * mib } },
    },
    {
      name: 'unlimited swap',
      hc: { Memory: 64 * mib, MemorySwap: -1 },
      want: { memory: { limit: 64 * mib, swap: -1 } },
    },
    {
      name: 'explicit swap, reservation, swappiness',
      hc: { Memory: 64 * mib, MemorySwap: 100 * mib, MemoryReservation: 32 * mib, MemorySwappiness: 10 },
      want: { memory: { limit: 64 * mib, reservation: 32 * mib, swap: 100 * mib, swappiness: 10 } },
    },
    { name: '--cpus', hc: { NanoCpus: 1.5e9 }, want: { cpu: { period: 100000, quota: 150000 } } },
    {
      name: 'quota, period, shares, cpuset',
      hc: { CpuQuota: 50000, CpuPeriod: 200000, CpuShares: 512, CpusetCpus: '0-1' },
      want: { cpu: { period: 200000, quota: 50000, shares: 512, cpus: '0-1' } },
    },
    { name: 'pids', hc: { PidsLimit: 100 }, want: { pids: { limit: 100 } } },
    { name: 'pids 0 and -1 mean unlimited', hc: { PidsLimit: -1 }, want: { pids: undefined } },
  ];
  for (const { name, hc, want } of cases) {
    const spec = buildRuntimeSpec(testInput({ hostConfig: hc }));
    assert.equal(runtimeSpecError(spec), null, name);
    for (const [key, value] of Object.entries(want)) {
      assert.deepEqual(spec.linux?.resources?.[key as keyof OciRuntime.LinuxResources], value, name);
    }
  }
});

test('without swap accounting the swap limit is left out', () => {
  const input = testInput({ hostConfig: { Memory: 64 * mib } });
  const spec = buildRuntimeSpec({ ...input, host: { ...input.host, swapAccounting: false } });
  assert.deepEqual(spec.linux?.resources?.memory, { limit: 64 * mib });
});

test('device cgroup rules and ulimits are added', () => {
  const spec = buildRuntimeSpec(
    testInput({
      hostConfig: {
        DeviceCgroupRules: ['c 10:229 rwm', 'b *:* m'],
        Ulimits: [
          { Name: 'nofile', Soft: 1024, Hard: 2048 },
          { Name: 'nproc', Soft: 10, Hard: 10 },
        ],
      },
    }),
  );
  assert.equal(runtimeSpecError(spec), null);
  assert.deepEqual(spec.linux?.resources?.devices?.slice(-2), [
    { allow: true, type: 'c', major: 10, minor: 229, access: 'rwm' },
    { allow: true, type: 'b', access: 'm' },
  ]);
  assert.deepEqual(spec.process?.rlimits, [
    { type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 },
    { type: 'RLIMIT_NPROC', soft: 10, hard: 10 },
  ]);
});

test('the default RLIMIT_NOFILE never exceeds the daemon hard limit', () => {
  const input = testInput();
  for (const [hard, want] of [
    [20000, 20000],
    [4_000_000, 1_048_576],
  ]) {
    const spec = buildRuntimeSpec({ ...input, host: { ...input.host, nofileHardLimit: hard ?? 0 } });
    assert.deepEqual(spec.process?.rlimits, [{ type: 'RLIMIT_NOFILE', soft: want, hard: want }]);
  }
});

test('resource settings Docker refuses are refused', () => {
  const cases: [Api.HostConfig, RegExp | string][] = [
    [{ Memory: 1024 }, 'Minimum memory limit allowed is 6MB'],
    [{ MemorySwap: 100 * mib }, /always set the Memory limit/],
    [{ Memory: 64 * mib, MemorySwap: 32 * mib }, /should be larger than memory limit/],
    [{ NanoCpus: 1e9, CpuQuota: 1000 }, /Nano CPUs and CPU Quota/],
    [{ NanoCpus: 8e9 }, 'Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available'],
    [{ MemorySwappiness: 101 }, /swappiness range/],
    [{ DeviceCgroupRules: ['x 1:1 r'] }, "invalid device cgroup format 'x 1:1 r'"],
    [{ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }, 'invalid ulimit type: bogus'],
    [{ Ulimits: [{ Name: 'nofile', Soft: 2, Hard: 1 }] }, /soft limit must be less than or equal/],
  ];
  for (const [hc, message] of cases) {
    assert.throws(() => buildRuntimeSpec(testInput({ hostConfig: hc })), { kind: 'invalid-argument', message });
  }
  assert.throws(() => buildRuntimeSpec(testInput({ hostConfig: { DeviceRequests: [{ Count: -1 }] } })), {
    kind: 'not-implemented',
    message: '--gpus is not supported by berth yet',
  });
});
