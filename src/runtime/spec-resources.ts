import { BerthError, invalidArgument } from '../kernel/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import type { HostFacts } from './spec-types.js';

/** Docker's device cgroup rules for unprivileged containers (moby `oci.DefaultLinuxSpec`). */
const defaultDeviceRules: OciRuntime.LinuxDeviceCgroup[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  // /dev/fuse stays denied unless a rule or --device allows it.
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

/** CPU period used with `--cpus`, as Docker (100 ms). */
const nanoCpusPeriod = 100_000;

/** Docker's lower bound for `--memory`. */
const minMemory = 6 * 1024 * 1024;

/** `linux.resources` from the HostConfig's resource fields, with Docker's checks and defaults. */
export function containerResources(
  hc: Api.HostConfig,
  options: { privileged: boolean; host: HostFacts; deviceRules?: readonly OciRuntime.LinuxDeviceCgroup[] },
): OciRuntime.LinuxResources {
  refuseUnsupported(hc);
  const resources: OciRuntime.LinuxResources = {
    devices: options.privileged
      ? [{ allow: true, access: 'rwm' }]
      : [
          ...defaultDeviceRules,
          ...(hc.DeviceCgroupRules ?? []).map(parseDeviceCgroupRule),
          // `--device`'s own rules (spec-devices.ts).
          ...(options.deviceRules ?? []),
        ],
  };
  const memory = memoryResources(hc, options.host);
  if (Object.keys(memory).length > 0) resources.memory = memory;
  const cpu = cpuResources(hc, options.host);
  if (Object.keys(cpu).length > 0) resources.cpu = cpu;
  if (typeof hc.PidsLimit === 'number' && hc.PidsLimit > 0) resources.pids = { limit: hc.PidsLimit };
  if (hc.BlkioWeight !== undefined && hc.BlkioWeight > 0) resources.blockIO = { weight: hc.BlkioWeight };
  return resources;
}

function refuseUnsupported(hc: Api.HostConfig): void {
  const unsupported: [string, unknown[] | null | undefined][] = [
    ['--gpus', hc.DeviceRequests],
    ['--blkio-weight-device', hc.BlkioWeightDevice],
    ['--device-read-bps', hc.BlkioDeviceReadBps],
    ['--device-write-bps', hc.BlkioDeviceWriteBps],
    ['--device-read-iops', hc.BlkioDeviceReadIOps],
    ['--device-write-iops', hc.BlkioDeviceWriteIOps],
  ];
  for (const [flag, value] of unsupported) {
    if (value !== undefined && value !== null && value.length > 0) {
      throw new BerthError('not-implemented', `${flag} is not supported by berth yet`);
    }
  }
}

/** `c 1:3 mr`, `a *:* rwm`: type, major:minor (`*` for any), access. */
function parseDeviceCgroupRule(rule: string): OciRuntime.LinuxDeviceCgroup {
  const match = /^([acb]) (\d+|\*):(\d+|\*) ([rwm]{1,3})$/.exec(rule);
  if (match === null) throw invalidArgument(`invalid device cgroup format '${rule}'`);
  const [, type = 'a', major = '*', minor = '*', access = 'rwm'] = match;
  const parsed: OciRuntime.LinuxDeviceCgroup = { allow: true, type, access };
  if (major !== '*') parsed.major = Number(major);
  if (minor !== '*') parsed.minor = Number(minor);
  return parsed;
}

function memoryResources(hc: Api.HostConfig, host: HostFacts): OciRuntime.LinuxMemory {
  const memory: OciRuntime.LinuxMemory = {};
  const limit = hc.Memory ?? 0;
  if (limit > 0 && limit < minMemory) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (limit > 0) memory.limit = limit;
  if (hc.MemoryReservation !== undefined && hc.MemoryReservation > 0) memory.reservation = hc.MemoryReservation;
  const swap = memorySwap(limit, hc.MemorySwap ?? 0);
  if (swap !== undefined && host.swapAccounting) memory.swap = swap;
  const swappiness = hc.MemorySwappiness;
  if (swappiness !== undefined && swappiness !== null && swappiness !== -1) {
    if (swappiness < 0 || swappiness > 100) {
      throw invalidArgument(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
    }
    // cgroup v2 has no per-cgroup swappiness; Docker drops it there too.
    if (!host.cgroupV2) memory.swappiness = swappiness;
  }
  if (hc.OomKillDisable === true && !host.cgroupV2) memory.disableOOMKiller = true;
  return memory;
}

/** Docker: swap defaults to twice the memory limit; -1 is unlimited; it is memory+swap, so ≥ memory. */
function memorySwap(limit: number, swap: number): number | undefined {
  if (swap > 0 && limit === 0) {
    throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (swap > 0 && swap < limit) {
    throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (swap === -1) return -1;
  if (swap > 0) return swap;
  return limit > 0 ? limit * 2 : undefined;
}

function cpuResources(hc: Api.HostConfig, host: HostFacts): OciRuntime.LinuxCPU {
  const cpu: OciRuntime.LinuxCPU = {};
  const nano = hc.NanoCpus ?? 0;
  if (nano > 0) {
    if ((hc.CpuPeriod ?? 0) > 0)
      throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
    if ((hc.CpuQuota ?? 0) > 0)
      throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
    if (nano < 0.01e9 || nano > host.cpuCount * 1e9) {
      const n = host.cpuCount;
      throw invalidArgument(`Range of CPUs is from 0.01 to ${n}.00, as there are only ${n} CPUs available`);
    }
    cpu.period = nanoCpusPeriod;
    cpu.quota = Math.round((nano * nanoCpusPeriod) / 1e9);
  }
  if ((hc.CpuPeriod ?? 0) > 0) cpu.period = hc.CpuPeriod;
  if ((hc.CpuQuota ?? 0) > 0) cpu.quota = hc.CpuQuota;
  if ((hc.CpuShares ?? 0) > 0) cpu.shares = hc.CpuShares;
  if (hc.CpusetCpus !== undefined && hc.CpusetCpus !== '') cpu.cpus = hc.CpusetCpus;
  if (hc.CpusetMems !== undefined && hc.CpusetMems !== '') cpu.mems = hc.CpusetMems;
  if ((hc.CpuRealtimePeriod ?? 0) > 0) cpu.realtimePeriod = hc.CpuRealtimePeriod;
  if ((hc.CpuRealtimeRuntime ?? 0) > 0) cpu.realtimeRuntime = hc.CpuRealtimeRuntime;
  return cpu;
}

const ulimitNames = new Set([
  'as',
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]);

/**
 * `process.rlimits`: the request's `--ulimit`s, and RLIMIT_NOFILE at Docker's
 * usual 1048576 unless the request sets it — capped at this daemon's own hard
 * limit, because runc cannot raise it beyond that and the start would fail.
 */
export function containerRlimits(ulimits: Api.HostConfig['Ulimits'], host: HostFacts): OciRuntime.POSIXRlimit[] {
  const rlimits = (ulimits ?? []).map((u): OciRuntime.POSIXRlimit => {
    const name = (u.Name ?? '').toLowerCase();
    if (!ulimitNames.has(name)) throw invalidArgument(`invalid ulimit type: ${u.Name ?? ''}`);
    const soft = u.Soft ?? 0;
    const hard = u.Hard ?? soft;
    if (soft > hard) {
      throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
    }
    return { type: `RLIMIT_${name.toUpperCase()}`, soft, hard };
  });
  if (!rlimits.some((r) => r.type === 'RLIMIT_NOFILE')) {
    const nofile = Math.min(1_048_576, host.nofileHardLimit);
    rlimits.push({ type: 'RLIMIT_NOFILE', soft: nofile, hard: nofile });
  }
  return rlimits;
}
