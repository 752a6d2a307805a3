/**
 * `docker stats`: samples of a container's cgroup counters in the Engine
 * API's stats shape. Each sample carries the previous one as `precpu_stats`,
 * which is what clients compute the CPU percentage from.
 */
import { cgroupsOf, readCgroupStats, readSystemCpu, type CgroupStats, type SystemCpu } from '../runtime/index.js';
import type { Api } from '../spec/index.js';

/** Docker's collection interval. */
const STATS_INTERVAL_MS = 1000;

/** One reading: the cgroup counters with the host CPU time taken at the same moment. */
export interface StatsSample {
  read: string;
  cgroup: CgroupStats;
  system: SystemCpu;
}

/** A sample of the process's cgroups; undefined once the process (and so the container) is gone. */
async function takeSample(pid: number): Promise<StatsSample | undefined> {
  const dirs = pid > 0 ? await cgroupsOf(pid) : undefined;
  if (!dirs) return undefined;
  const [cgroup, system] = await Promise.all([readCgroupStats(dirs), readSystemCpu()]);
  return { read: new Date().toISOString(), cgroup, system };
}

/** Docker's zero time, sent as `read`/`preread` when there is no reading. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

function cpuStats(s: StatsSample | undefined): Api.ContainerCPUStats {
  if (!s) return { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: {} };
  const { cpu } = s.cgroup;
  return {
    cpu_usage: {
      total_usage: cpu.totalNs,
      ...(cpu.perCpuNs ? { percpu_usage: cpu.perCpuNs } : {}),
      usage_in_kernelmode: cpu.kernelNs,
      usage_in_usermode: cpu.userNs,
    },
    system_cpu_usage: s.system.usageNs,
    online_cpus: s.system.onlineCpus,
    throttling_data: {
      periods: cpu.throttling.periods,
      throttled_periods: cpu.throttling.throttledPeriods,
      throttled_time: cpu.throttling.throttledTimeNs,
    },
  };
}

/** The Engine API's stats object for a sample and the one before it (if any). */
export function statsView(
  c: { id: string; name: string },
  sample: StatsSample | undefined,
  previous: StatsSample | undefined,
): Api.ContainerStatsResponse {
  return {
    name: `/${c.name}`,
    id: c.id,
    read: sample?.read ?? ZERO_TIME,
    preread: previous?.read ?? ZERO_TIME,
    pids_stats: sample ? { current: sample.cgroup.pids } : {},
    blkio_stats: {
      io_service_bytes_recursive: [],
      io_serviced_recursive: [],
      io_queue_recursive: [],
      io_service_time_recursive: [],
      io_wait_time_recursive: [],
      io_merged_recursive: [],
      io_time_recursive: [],
      sectors_recursive: [],
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(sample),
    precpu_stats: cpuStats(previous),
    memory_stats: sample
      ? { usage: sample.cgroup.memory.usage, stats: sample.cgroup.memory.stats, limit: sample.cgroup.memory.limit }
      : {},
  };
}

export interface StatsOptions {
  /** Many samples, one per interval, or a single one. */
  stream: boolean;
  /** With `stream: false`: answer at once, without a previous sample (`precpu_stats` empty). */
  oneShot: boolean;
  signal?: AbortSignal;
}

/**
 * Stats objects for a running container: one per second while `stream`,
 * until the container stops or the signal fires. Without `stream` Docker
 * waits for a second sample so the CPU percentage has something to compare
 * with; `oneShot` skips that wait.
 */
export async function* containerStats(
  c: { id: string; name: string; pid: number },
  options: StatsOptions,
): AsyncIterable<Api.ContainerStatsResponse> {
  let previous: StatsSample | undefined;
  let sample = await takeSample(c.pid);
  if (!options.stream && options.oneShot) {
    yield statsView(c, sample, undefined);
    return;
  }
  while (sample && !options.signal?.aborted) {
    if (options.stream) yield statsView(c, sample, previous);
    else if (previous) {
      yield statsView(c, sample, previous);
      return;
    }
    if (!(await pause(STATS_INTERVAL_MS, options.signal))) return;
    previous = sample;
    sample = await takeSample(c.pid);
  }
}

/** Waits `ms`; false when the signal fired first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
