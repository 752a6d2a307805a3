import path from 'node:path';
import { invalidArgument } from '../kernel/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import type { EtcFiles } from './spec-types.js';

/** Docker's default /dev/shm size (`--shm-size`), 64 MiB. */
export const defaultShmSize = 64 * 1024 * 1024;

/** Docker's default mounts (moby `oci.DefaultLinuxSpec`), /dev/shm sized by `--shm-size`. */
export function defaultMounts(shmSize: number): OciRuntime.Mount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`],
    },
  ];
}

/** A bind mount as Docker writes it: recursive, private unless asked otherwise. */
export function bindMount(
  source: string,
  destination: string,
  options: { readonly?: boolean; propagation?: string } = {},
): OciRuntime.Mount {
  const flags = ['rbind', options.propagation ?? 'rprivate'];
  if (options.readonly === true) flags.push('ro');
  return { destination, type: 'bind', source, options: flags };
}

/** `--tmpfs /run:rw,size=1g`: Docker's noexec,nosuid,nodev unless the options say otherwise. */
export function tmpfsMounts(tmpfs: Api.HostConfig['Tmpfs']): OciRuntime.Mount[] {
  return Object.entries(tmpfs ?? {}).map(([destination, opts]) => {
    if (!path.isAbsolute(destination)) throw invalidArgument(`invalid mount path ${destination}: must be absolute`);
    const given = opts.split(',').filter((o) => o !== '');
    const defaults = ['noexec', 'nosuid', 'nodev'].filter((d) => !given.some((o) => o === d || o === d.slice(2)));
    return { destination, type: 'tmpfs', source: 'tmpfs', options: [...defaults, ...given] };
  });
}

/** Binds of the per-container /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export function etcFileMounts(files: EtcFiles = {}): OciRuntime.Mount[] {
  const pairs: [string | undefined, string][] = [
    [files.resolvConf, '/etc/resolv.conf'],
    [files.hostname, '/etc/hostname'],
    [files.hosts, '/etc/hosts'],
  ];
  return pairs.flatMap(([source, destination]) => (source === undefined ? [] : [bindMount(source, destination)]));
}

export interface MountOptions {
  readonlyRootfs: boolean;
  privileged: boolean;
  /** `--security-opt writable-cgroups=true`. */
  writableCgroups: boolean;
}

/**
 * The final mount list: defaults the user did not replace (a user mount on
 * /dev also replaces everything Docker mounts under /dev), then the user's,
 * ordered so a parent is mounted before anything inside it. With a
 * read-only rootfs, defaults outside /proc and /dev become read-only too; a
 * privileged container gets /sys and its cgroups writable (applied last, as
 * Docker does, so it wins over a read-only rootfs).
 */
export function containerMounts(
  defaults: OciRuntime.Mount[],
  user: OciRuntime.Mount[],
  options: MountOptions,
): OciRuntime.Mount[] {
  const userDestinations = new Set(user.map((m) => path.normalize(m.destination)));
  const userMountsDev = userDestinations.has('/dev');
  const kept = defaults
    .filter((m) => !userDestinations.has(m.destination))
    .filter((m) => !(userMountsDev && m.destination.startsWith('/dev/')))
    .map((m) => adjustDefault(m, options));
  return stableSortByDepth([...kept, ...user]);
}

const writableUnderReadonlyRootfs = new Set(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue']);

function adjustDefault(mount: OciRuntime.Mount, options: MountOptions): OciRuntime.Mount {
  let flags = mount.options ?? [];
  if (options.readonlyRootfs && !writableUnderReadonlyRootfs.has(mount.destination) && !flags.includes('ro')) {
    flags = [...flags, 'ro'];
  }
  const writable = mount.type === 'cgroup' ? options.privileged || options.writableCgroups : options.privileged;
  if (writable && (mount.destination === '/sys' || mount.type === 'cgroup')) {
    flags = flags.filter((o) => o !== 'ro');
  }
  return { ...mount, options: flags };
}

function stableSortByDepth(mounts: OciRuntime.Mount[]): OciRuntime.Mount[] {
  const depth = (m: OciRuntime.Mount) => splitDepth(m.destination);
  return mounts
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i)
    .map(({ m }) => m);
}

function splitDepth(destination: string): number {
  return path
    .normalize(destination)
    .split('/')
    .filter((p) => p !== '').length;
}
