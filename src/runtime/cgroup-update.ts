/**
 * `docker update`: new resource limits merged into a container's HostConfig
 * with Docker's rules, and applied to a running container with `runc update`.
 */
import type { Api, OciRuntime } from '../spec/index.js';
import { runRunc, type RuncOptions } from './runc.js';
import { containerResources } from './spec-resources.js';
import type { HostFacts } from './spec-types.js';

/** The HostConfig fields `docker update` may change while a container runs. */
export type ResourceUpdate = Pick<
  Api.HostConfig,
  | 'Memory'
  | 'MemorySwap'
  | 'MemoryReservation'
  | 'NanoCpus'
  | 'CpuQuota'
  | 'CpuPeriod'
  | 'CpuShares'
  | 'CpusetCpus'
  | 'CpusetMems'
  | 'PidsLimit'
  | 'BlkioWeight'
>;

const NUMERIC_FIELDS = [
  'Memory',
  'MemorySwap',
  'MemoryReservation',
  'NanoCpus',
  'CpuQuota',
  'CpuPeriod',
  'CpuShares',
  'BlkioWeight',
] as const;

/**
 * The HostConfig after an update. As in Docker, a zero or absent number and
 * an empty string leave a setting unchanged; `PidsLimit` is changed whenever
 * it is present (0 or -1 lift the limit).
 */
export function applyResourceUpdate(hc: Api.HostConfig, update: ResourceUpdate): Api.HostConfig {
  const next: Api.HostConfig = { ...hc };
  for (const field of NUMERIC_FIELDS) {
    const value = update[field];
    if (typeof value === 'number' && value !== 0) next[field] = value;
  }
  if (update.CpusetCpus) next.CpusetCpus = update.CpusetCpus;
  if (update.CpusetMems) next.CpusetMems = update.CpusetMems;
  if (typeof update.PidsLimit === 'number') next.PidsLimit = update.PidsLimit;
  return next;
}

/**
 * Checks a HostConfig's resources as `create` would (Docker's wording:
 * "Minimum memory limit allowed is 6MB", conflicting CPU options) and returns
 * the cgroup settings it stands for.
 */
export function validateResources(hc: Api.HostConfig, host: HostFacts): OciRuntime.LinuxResources {
  return containerResources(hc, { privileged: hc.Privileged === true, host });
}

/** `runc update` flags for the resources `docker update` can change; unset ones are left alone. */
export function runcUpdateArgs(resources: OciRuntime.LinuxResources, pidsLimit: number | null | undefined): string[] {
  const args: string[] = [];
  const flag = (name: string, value: number | string | undefined) => {
    if (value !== undefined && value !== '') args.push(`--${name}`, String(value));
  };
  flag('memory', resources.memory?.limit);
  flag('memory-swap', resources.memory?.swap);
  flag('memory-reservation', resources.memory?.reservation);
  flag('cpu-period', resources.cpu?.period);
  flag('cpu-quota', resources.cpu?.quota);
  flag('cpu-share', resources.cpu?.shares);
  flag('cpuset-cpus', resources.cpu?.cpus);
  flag('cpuset-mems', resources.cpu?.mems);
  flag('blkio-weight', resources.blockIO?.weight);
  // runc reads 0 as "unchanged" and a negative limit as "max".
  if (typeof pidsLimit === 'number') flag('pids-limit', pidsLimit > 0 ? pidsLimit : -1);
  return args;
}

/** Applies a container's resource settings to its live cgroups (`runc update`). */
export async function updateContainerResources(
  id: string,
  resources: OciRuntime.LinuxResources,
  pidsLimit: number | null | undefined,
  options: RuncOptions,
): Promise<void> {
  const args = runcUpdateArgs(resources, pidsLimit);
  if (args.length > 0) await runRunc(['update', ...args, id], options);
}
