import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import { isErrno } from '../kernel/index.js';
import { defaultLastCap } from './caps.js';
import { grantableCapabilities } from './exec-caps.js';
import { dockerArch } from './seccomp.js';
import type { HostFacts } from './spec-types.js';

/** Where Debian's `tini` package puts the static build berth binds as /dev/init. */
const defaultInitBinary = '/usr/bin/tini-static';

/**
 * Reads what the runtime spec depends on about this machine. Called once by
 * the daemon; `buildRuntimeSpec` itself does no I/O.
 */
export async function readHostFacts(options: { initBinary?: string } = {}): Promise<HostFacts> {
  const cgroupV2 = await exists('/sys/fs/cgroup/cgroup.controllers');
  const lastCap = await readLastCap();
  return {
    nofileHardLimit: parseNofileHardLimit(await readFile('/proc/self/limits', 'utf8')),
    cgroupV2,
    swapAccounting: cgroupV2 || (await exists('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes')),
    lastCap,
    boundingCaps: await grantableCapabilities(lastCap),
    arch: dockerArch(),
    kernelRelease: os.release(),
    cpuCount: os.availableParallelism(),
    initBinary: options.initBinary ?? defaultInitBinary,
    extraMaskedPaths: await thermalThrottlePaths(),
  };
}

/**
 * The hard limit of "Max open files" in /proc/self/limits (Node has no
 * getrlimit). "unlimited" cannot happen for RLIMIT_NOFILE, but is read as
 * no cap.
 */
function parseNofileHardLimit(limits: string): number {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.slice('Max open files'.length).trim().split(/\s+/)[1];
  if (hard === 'unlimited') return Number.MAX_SAFE_INTEGER;
  const value = Number(hard);
  if (hard === undefined || !Number.isSafeInteger(value))
    throw new Error('cannot read Max open files from /proc/self/limits');
  return value;
}

async function readLastCap(): Promise<number> {
  try {
    const value = Number((await readFile('/proc/sys/kernel/cap_last_cap', 'utf8')).trim());
    return Number.isInteger(value) ? value : defaultLastCap;
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT')) return defaultLastCap;
    throw e;
  }
}

/**
 * Docker masks each CPU's thermal_throttle directory where it exists
 * (GHSA-6fw5-f8r9-fgfm): it leaks host activity.
 */
async function thermalThrottlePaths(): Promise<string[]> {
  const paths: string[] = [];
  for (let cpu = 0; cpu < os.cpus().length; cpu++) {
    const p = `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`;
    if (await exists(p)) paths.push(p);
  }
  return paths;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
