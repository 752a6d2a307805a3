import { BerthError, invalidArgument } from '../kernel/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { dockerDefaultSeccompProfile } from '../spec/index.js';
import { resolveSeccompProfile } from './seccomp.js';
import { resolveUserSeccompProfile } from './seccomp-profile.js';
import type { SecurityOptions } from './spec-security.js';
import type { HostFacts, NetworkNamespace } from './spec-types.js';

/** Docker's masked paths (moby `oci.DefaultLinuxSpec`): host information a container must not read. */
export const dockerMaskedPaths: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
];

/** Docker's read-only paths: kernel knobs a container may read but not change. */
export const dockerReadonlyPaths: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/**
 * The namespaces, in Docker's order. `host` modes share the host's; a
 * network namespace is new or the one the caller prepared. Docker gives a
 * private cgroup namespace by default only on cgroup v2.
 */
export function containerNamespaces(
  hc: Api.HostConfig,
  network: NetworkNamespace,
  host: HostFacts,
  joined: { pid?: string; ipc?: string } = {},
): OciRuntime.LinuxNamespaceReference[] {
  if (hc.UTSMode?.startsWith('container:') === true) {
    throw invalidArgument(`invalid UTS mode: ${hc.UTSMode}`);
  }
  if (hc.UsernsMode !== undefined && hc.UsernsMode !== '' && hc.UsernsMode !== 'host') {
    throw new BerthError('not-implemented', `--userns=${hc.UsernsMode} is not supported by berth yet`);
  }
  const namespaces: OciRuntime.LinuxNamespaceReference[] = [{ type: 'mount' }];
  if (network.kind === 'path') namespaces.push({ type: 'network', path: network.path });
  else if (network.kind === 'new') namespaces.push({ type: 'network' });
  if (hc.UTSMode !== 'host') namespaces.push({ type: 'uts' });
  // `container:<x>` joins the namespace of x's init, which the caller looked up.
  if (hc.PidMode !== 'host') namespaces.push(joined.pid ? { type: 'pid', path: joined.pid } : { type: 'pid' });
  if (hc.IpcMode !== 'host') namespaces.push(joined.ipc ? { type: 'ipc', path: joined.ipc } : { type: 'ipc' });
  const cgroupns = hc.CgroupnsMode ?? (host.cgroupV2 ? 'private' : 'host');
  if (cgroupns === 'private') namespaces.push({ type: 'cgroup' });
  return namespaces;
}

/** Masked and read-only paths: Docker's (or the request's), none when privileged. */
export function protectedPaths(
  hc: Api.HostConfig,
  host: HostFacts,
): { maskedPaths: string[]; readonlyPaths: string[] } {
  if (hc.Privileged === true) return { maskedPaths: [], readonlyPaths: [] };
  return {
    maskedPaths: hc.MaskedPaths ?? [...dockerMaskedPaths, ...host.extraMaskedPaths],
    readonlyPaths: hc.ReadonlyPaths ?? [...dockerReadonlyPaths],
  };
}

/** `linux.seccomp`, or undefined for privileged and `seccomp=unconfined` containers. */
export function containerSeccomp(
  security: SecurityOptions,
  options: { privileged: boolean; capabilities: readonly string[]; host: HostFacts },
): OciRuntime.LinuxSeccomp | undefined {
  if (options.privileged || security.seccomp === 'unconfined') return undefined;
  const resolve = {
    capabilities: options.capabilities,
    arch: options.host.arch,
    kernelRelease: options.host.kernelRelease,
  };
  if (security.seccomp === 'builtin') return resolveSeccompProfile(dockerDefaultSeccompProfile, resolve);
  return resolveUserSeccompProfile(security.seccomp.json, resolve);
}

/**
 * The request's sysctls, plus the two Docker sets in a container's own
 * network namespace so unprivileged processes can bind low ports and ping
 * without NET_RAW.
 */
export function containerSysctls(hc: Api.HostConfig, network: NetworkNamespace): Record<string, string> {
  const sysctls: Record<string, string> = {};
  if (network.kind !== 'host') {
    sysctls['net.ipv4.ip_unprivileged_port_start'] = '0';
    sysctls['net.ipv4.ping_group_range'] = '0 2147483647';
  }
  return { ...sysctls, ...(hc.Sysctls ?? {}) };
}
