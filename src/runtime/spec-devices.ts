/**
 * `--device`: host devices made in the container (`linux.devices`) and
 * allowed by its device cgroup, as Docker does. A host directory brings
 * every device under it, at the same place under the container path.
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { invalidArgument, isErrno } from '../kernel/index.js';
import type { Api, OciRuntime } from '../spec/index.js';

/** What the spec gets for the container's `--device` flags. */
export interface HostDevices {
  devices: OciRuntime.LinuxDevice[];
  rules: OciRuntime.LinuxDeviceCgroup[];
}

/** Checks the flags as Docker does at create: paths absolute, permissions from `rwm`. */
export function checkDeviceMappings(mappings: readonly Api.DeviceMapping[] | null | undefined): void {
  for (const m of mappings ?? []) {
    const { host, container, permissions } = normalise(m);
    if (!posix.isAbsolute(host)) throw invalidArgument(`invalid device path ${host}: it must be absolute`);
    if (!posix.isAbsolute(container)) throw invalidArgument(`invalid device path ${container}: it must be absolute`);
    if (!/^[rwm]{1,3}$/.test(permissions)) throw invalidArgument(`invalid device mode: ${permissions}`);
  }
}

/** The devices at start: each host path looked at now, symlinks followed (`/dev/disk/by-id/...`). */
export async function hostDevices(mappings: readonly Api.DeviceMapping[] | null | undefined): Promise<HostDevices> {
  const out: HostDevices = { devices: [], rules: [] };
  for (const m of mappings ?? []) {
    const { host, container, permissions } = normalise(m);
    const st = await stat(host).catch((e: unknown) => {
      const why = isErrno(e, 'ENOENT') ? 'no such file or directory' : String(e);
      throw invalidArgument(`error gathering device information while adding custom device "${host}": ${why}`);
    });
    if (st.isDirectory()) {
      for (const [found, info] of await devicesUnder(host)) {
        add(out, posix.join(container, posix.relative(host, found)), info, permissions);
      }
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      add(out, container, st, permissions);
    } else {
      throw invalidArgument(
        `error gathering device information while adding custom device "${host}": not a device node`,
      );
    }
  }
  return out;
}

function normalise(m: Api.DeviceMapping): { host: string; container: string; permissions: string } {
  const host = m.PathOnHost ?? '';
  return { host, container: m.PathInContainer || host, permissions: m.CgroupPermissions || 'rwm' };
}

function add(out: HostDevices, path: string, st: Stats, access: string): void {
  const type = st.isBlockDevice() ? 'b' : 'c';
  // glibc's major()/minor() of a dev_t.
  const dev = BigInt(st.rdev);
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  out.devices.push({ path, type, major, minor, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
  out.rules.push({ allow: true, type, major, minor, access });
}

/** Device nodes under a directory, recursively; what is not a device is skipped. */
async function devicesUnder(dir: string): Promise<[string, Stats][]> {
  const found: [string, Stats][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await devicesUnder(path)));
    else if (entry.isCharacterDevice() || entry.isBlockDevice()) found.push([path, await stat(path)]);
  }
  return found;
}
