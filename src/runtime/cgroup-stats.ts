/**
 * The counters `docker stats` shows, read from a container's cgroup files
 * (cgroup v1: memory, cpuacct, cpu, pids controllers; v2: the unified
 * directory) and the host's `/proc/stat`, in Docker's units: bytes and
 * nanoseconds.
 */
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { controllerDir, readOptional, type CgroupDirs } from './cgroup.js';

/** The kernel's clock tick for `cpuacct.stat` and `/proc/stat` (USER_HZ, 100 on every Linux ABI berth runs on). */
const USER_HZ = 100;
const NS_PER_TICK = 1_000_000_000 / USER_HZ;
/** cgroup v1 reports "no limit" as the largest page-aligned int64. */
const V1_UNLIMITED = 2 ** 62;

export interface CgroupCpuStats {
  totalNs: number;
  /** cgroup v1 only. */
  perCpuNs?: number[];
  kernelNs: number;
  userNs: number;
  throttling: { periods: number; throttledPeriods: number; throttledTimeNs: number };
}

export interface CgroupStats {
  pids: number;
  memory: { usage: number; limit: number; stats: Record<string, number> };
  cpu: CgroupCpuStats;
}

/** Parses `key value` lines (memory.stat, cpu.stat, cpuacct.stat); non-numeric values are skipped. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

/** A single-number file; `max` (v2's "no limit") and absent files are undefined. */
export function parseNumber(text: string | undefined): number | undefined {
  const t = text?.trim();
  return t === undefined || !/^\d+$/.test(t) ? undefined : Number(t);
}

export interface SystemCpu {
  /** All CPUs' time since boot, in nanoseconds (Docker's `system_cpu_usage`). */
  usageNs: number;
  onlineCpus: number;
}

/** Parses `/proc/stat`: the `cpu` line's ticks summed, and the number of `cpuN` lines. */
export function parseProcStat(text: string): SystemCpu {
  let ticks = 0n;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      // Only the first seven fields (user … softirq and steal excluded as Docker does) count.
      for (const f of fields.slice(1, 8)) ticks += BigInt(f);
    } else if (fields[0]?.startsWith('cpu')) onlineCpus++;
  }
  return { usageNs: Number(ticks * BigInt(NS_PER_TICK)), onlineCpus };
}

export async function readSystemCpu(): Promise<SystemCpu> {
  return parseProcStat((await readOptional('/proc/stat')) ?? '');
}

const read = (dir: string | undefined, file: string) =>
  dir === undefined ? Promise.resolve(undefined) : readOptional(join(dir, file));

/** Reads the counters; a controller that is missing reads as zeros. */
export async function readCgroupStats(dirs: CgroupDirs): Promise<CgroupStats> {
  const pids = parseNumber(await read(controllerDir(dirs, 'pids'), 'pids.current')) ?? 0;
  return dirs.version === 1
    ? { pids, memory: await readMemoryV1(dirs), cpu: await readCpuV1(dirs) }
    : { pids, memory: await readMemoryV2(dirs.dir), cpu: await readCpuV2(dirs.dir) };
}

/** A limit no greater than the host's memory, as Docker reports for unlimited containers. */
function memoryLimit(limit: number | undefined): number {
  const host = totalmem();
  return limit === undefined || limit >= V1_UNLIMITED || limit > host ? host : limit;
}

async function readMemoryV1(dirs: CgroupDirs): Promise<CgroupStats['memory']> {
  const dir = controllerDir(dirs, 'memory');
  return {
    usage: parseNumber(await read(dir, 'memory.usage_in_bytes')) ?? 0,
    limit: memoryLimit(parseNumber(await read(dir, 'memory.limit_in_bytes'))),
    stats: parseKeyValues((await read(dir, 'memory.stat')) ?? ''),
  };
}

async function readMemoryV2(dir: string): Promise<CgroupStats['memory']> {
  return {
    usage: parseNumber(await read(dir, 'memory.current')) ?? 0,
    limit: memoryLimit(parseNumber(await read(dir, 'memory.max'))),
    stats: parseKeyValues((await read(dir, 'memory.stat')) ?? ''),
  };
}

/** `cpuacct.usage_percpu`: one number per possible CPU. */
export function parsePerCpu(text: string | undefined): number[] | undefined {
  const values = text?.trim().split(/\s+/).filter(Boolean).map(Number);
  return values?.length ? values : undefined;
}

/** `cpu.stat`'s throttling counters: v1 counts nanoseconds (`throttled_time`), v2 microseconds. */
function throttling(stat: Record<string, number>): CgroupCpuStats['throttling'] {
  return {
    periods: stat.nr_periods ?? 0,
    throttledPeriods: stat.nr_throttled ?? 0,
    throttledTimeNs: stat.throttled_time ?? (stat.throttled_usec ?? 0) * 1000,
  };
}

async function readCpuV1(dirs: CgroupDirs): Promise<CgroupCpuStats> {
  const acct = controllerDir(dirs, 'cpuacct');
  const ticks = parseKeyValues((await read(acct, 'cpuacct.stat')) ?? '');
  const perCpu = parsePerCpu(await read(acct, 'cpuacct.usage_percpu'));
  return {
    totalNs: parseNumber(await read(acct, 'cpuacct.usage')) ?? 0,
    ...(perCpu ? { perCpuNs: perCpu } : {}),
    kernelNs: (ticks.system ?? 0) * NS_PER_TICK,
    userNs: (ticks.user ?? 0) * NS_PER_TICK,
    throttling: throttling(parseKeyValues((await read(controllerDir(dirs, 'cpu'), 'cpu.stat')) ?? '')),
  };
}

async function readCpuV2(dir: string): Promise<CgroupCpuStats> {
  const stat = parseKeyValues((await read(dir, 'cpu.stat')) ?? '');
  return {
    totalNs: (stat.usage_usec ?? 0) * 1000,
    kernelNs: (stat.system_usec ?? 0) * 1000,
    userNs: (stat.user_usec ?? 0) * 1000,
    throttling: throttling(stat),
  };
}
