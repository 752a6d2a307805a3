import { invalidArgument } from '../kernel/index.js';

/**
 * Every Linux capability by number (capability.h), so "ALL" can be limited to
 * what the running kernel knows (`/proc/sys/kernel/cap_last_cap`): runc warns
 * about, and older kernels reject, capabilities past the last one.
 */
const capabilityNumbers: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** The last capability number a kernel without `cap_last_cap` is assumed to know. */
export const defaultLastCap = capabilityNumbers.length - 1;

/** Docker's default capability set (moby `caps.DefaultCapabilities`), in Docker's order. */
export const dockerDefaultCapabilities: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability the kernel knows, for privileged containers and `--cap-add ALL`. */
export function allCapabilities(lastCap: number = defaultLastCap): string[] {
  return capabilityNumbers.slice(0, lastCap + 1);
}

const all = 'ALL';

/**
 * Upper-cases a `--cap-add`/`--cap-drop` name and adds the `CAP_` prefix the
 * docker CLI lets users leave out; "ALL" stays as it is.
 */
export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  if (upper === all) return all;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!capabilityNumbers.includes(full)) throw invalidArgument(`unknown capability: "${full}"`);
  return full;
}

export interface CapabilityOptions {
  capAdd?: readonly string[] | null;
  capDrop?: readonly string[] | null;
  privileged?: boolean;
  lastCap?: number;
  /** What berthd itself may grant (its bounding set); `privileged` and `ALL` are limited to it. */
  bounding?: readonly string[];
}

/**
 * The capability set of a container, as Docker computes it: privileged gets
 * everything; `--cap-add ALL` means everything but the drops; `--cap-drop ALL`
 * means only the adds; otherwise the defaults minus drops plus adds.
 */
export function containerCapabilities(options: CapabilityOptions): string[] {
  const { bounding } = options;
  const everything = allCapabilities(options.lastCap).filter((c) => !bounding || bounding.includes(c));
  if (options.privileged === true) return everything;
  const adds = (options.capAdd ?? []).map(normalizeCapability);
  const drops = (options.capDrop ?? []).map(normalizeCapability);
  let result: string[];
  if (adds.includes(all)) result = everything.filter((c) => !drops.includes(c));
  else if (drops.includes(all)) result = adds;
  else result = [...dockerDefaultCapabilities.filter((c) => !drops.includes(c)), ...adds];
  return [...new Set(result)];
}
