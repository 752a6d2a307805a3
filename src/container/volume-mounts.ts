import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { normalize } from 'node:path';
import { errorMessage, invalidArgument, isBerthError, isErrno, type Logger } from '../kernel/index.js';
import { bindMount, resolveInRoot, type ContainerSettings } from '../runtime/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { copyUp, type VolumeService } from '../volume/index.js';
import type { ViewMount } from './archive.js';
import { parseMountRequests, type MountRequest } from './binds.js';

/**
 * One mount of a container, resolved at create and stored with it: Docker's
 * `MountPoint` (what inspect shows) plus what a start needs.
 */
export interface ContainerMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** Volumes: the volume's name. */
  Name?: string;
  /** Binds: the host path; volumes: the volume's mountpoint; tmpfs: empty. */
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** Volumes: fill the volume from the image's content there while it is empty. */
  CopyData?: boolean;
  /** Volumes made for this container alone: `rm -v` and `--rm` remove them. */
  Anonymous?: boolean;
  /** tmpfs: mount(8) options. */
  TmpfsOptions?: string[];
}

export interface PlannedMounts {
  mounts: ContainerMount[];
  /** Volumes this plan created: a create that fails removes them again. */
  created: string[];
}

export interface PlanInput {
  config: ContainerSettings;
  hostConfig: Api.HostConfig;
  /** The mounts of a `--volumes-from` container; throws not-found. */
  mountsOf: (ref: string) => readonly ContainerMount[];
}

/**
 * A container's mounts, in Docker's order of precedence: `--volumes-from`
 * first, then `-v` and `--mount` (which replace one at the same
 * destination), then an anonymous volume for each `VOLUME` of the image or
 * config that nothing else covers.
 */
export async function planMounts(input: PlanInput, volumes: VolumeService): Promise<PlannedMounts> {
  const requests = parseMountRequests(input.hostConfig);
  const inherited = (input.hostConfig.VolumesFrom ?? []).flatMap((spec) => volumesFrom(spec, input.mountsOf));
  const planned: PlannedMounts = { mounts: [], created: [] };
  try {
    const byDestination = new Map<string, ContainerMount>(inherited.map((m) => [m.Destination, m]));
    for (const r of requests) byDestination.set(r.destination, await resolve(r, volumes, planned.created));
    for (const destination of Object.keys(input.config.Volumes ?? {}).map((d) => normalize(d))) {
      if (byDestination.has(destination)) continue;
      const anonymous = { type: 'volume' as const, destination, readOnly: false, mode: '', copyData: true };
      byDestination.set(destination, await resolve(anonymous, volumes, planned.created));
    }
    planned.mounts = [...byDestination.values()];
    return planned;
  } catch (e) {
    await discardVolumes(planned, volumes);
    throw e;
  }
}

async function resolve(r: MountRequest, volumes: VolumeService, created: string[]): Promise<ContainerMount> {
  const base = { Destination: r.destination, Mode: r.mode, RW: !r.readOnly };
  if (r.type === 'bind') return { Type: 'bind', Source: r.source, Propagation: r.propagation, ...base };
  if (r.type === 'tmpfs') return { Type: 'tmpfs', Source: '', Propagation: '', TmpfsOptions: r.options, ...base };
  const result = await volumes.create({
    ...(r.name !== undefined ? { name: r.name } : { anonymous: true }),
    ...(r.driver !== undefined ? { driver: r.driver } : {}),
    ...(r.driverOpts !== undefined ? { driverOpts: r.driverOpts } : {}),
    ...(r.labels !== undefined ? { labels: r.labels } : {}),
  });
  if (result.created) created.push(result.volume.Name);
  return {
    Type: 'volume',
    Name: result.volume.Name,
    Source: result.volume.Mountpoint,
    Driver: result.volume.Driver,
    Propagation: '',
    CopyData: r.copyData,
    ...(r.name === undefined ? { Anonymous: true } : {}),
    ...base,
  };
}

/** `--volumes-from c[:ro|rw]`: c's volumes and binds; `ro` makes them read-only, and what c has read-only stays so. */
function volumesFrom(spec: string, mountsOf: PlanInput['mountsOf']): ContainerMount[] {
  const [ref = '', mode] = spec.split(':');
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') {
    throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
  }
  return mountsOf(ref)
    .filter((m) => m.Type !== 'tmpfs')
    .map((m) => {
      const { Anonymous: _anonymous, ...shared } = m;
      return { ...shared, RW: shared.RW && mode !== 'ro' };
    });
}

/** Removes the volumes a failed create made, so nothing of it is left behind. */
export async function discardVolumes(planned: PlannedMounts, volumes: VolumeService): Promise<void> {
  for (const name of planned.created) await volumes.remove(name, { force: true }).catch(() => {});
}

/** The names of the volumes a container uses, for the in-use records. */
export function volumeNames(mounts: readonly ContainerMount[]): string[] {
  return mounts.flatMap((m) => (m.Type === 'volume' && m.Name !== undefined ? [m.Name] : []));
}

/** The OCI mounts of a container; `sourceOf` gives a volume's host path. */
export function ociMounts(
  mounts: readonly ContainerMount[],
  sourceOf: (m: ContainerMount) => string,
): OciRuntime.Mount[] {
  return mounts.map((m) => {
    if (m.Type === 'tmpfs') {
      const given = m.TmpfsOptions ?? [];
      return {
        destination: m.Destination,
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['noexec', 'nosuid', 'nodev', ...(m.RW ? [] : ['ro']), ...given],
      };
    }
    const propagation = m.Propagation === '' ? undefined : m.Propagation;
    return bindMount(sourceOf(m), m.Destination, { readonly: !m.RW, ...(propagation ? { propagation } : {}) });
  });
}

/** What a container created before volumes existed has: its binds, from the host config. */
export function mountsOfContainer(spec: { mounts?: ContainerMount[]; hostConfig: Api.HostConfig }): ContainerMount[] {
  if (spec.mounts) return spec.mounts;
  return parseMountRequests(spec.hostConfig).flatMap((r) =>
    r.type === 'bind'
      ? [
          {
            Type: 'bind' as const,
            Source: r.source,
            Destination: r.destination,
            Mode: r.mode,
            RW: !r.readOnly,
            Propagation: r.propagation,
          },
        ]
      : [],
  );
}

/**
 * Readies every mount of a starting container and returns the OCI mounts:
 * `-v` bind sources are created if missing, volumes are mounted (counted)
 * and, while empty, filled from the image's content at their destination.
 */
export async function prepareMounts(
  id: string,
  mounts: readonly ContainerMount[],
  rootfs: string,
  volumes: VolumeService,
): Promise<OciRuntime.Mount[]> {
  const sources = new Map<ContainerMount, string>();
  for (const m of mounts) {
    // A missing `-v` source becomes a directory, as in Docker; an existing file is bound as it is.
    if (m.Type === 'bind') {
      await mkdir(m.Source, { recursive: true }).catch((e: unknown) => {
        if (!isErrno(e, 'EEXIST')) throw e;
      });
    }
    if (m.Type !== 'volume' || m.Name === undefined) continue;
    const req = { containerId: id, destination: m.Destination, readOnly: !m.RW };
    const data = volumes.mount(m.Name, req);
    sources.set(m, data);
    if (m.CopyData) await populate(rootfs, m.Destination, data);
  }
  return ociMounts(mounts, (m) => sources.get(m) ?? m.Source);
}

/** Docker's copy-up: only into an empty volume, only from a directory the image has. */
async function populate(rootfs: string, destination: string, data: string): Promise<void> {
  const source = await resolveInRoot(rootfs, destination);
  try {
    if (!(await stat(source)).isDirectory()) return;
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return;
    throw e;
  }
  if ((await readdir(data)).length > 0) return;
  await copyUp(source, data);
}

/** The container stopped: its volumes are released (the last user unmounts). */
export function releaseMounts(id: string, mounts: readonly ContainerMount[], volumes: VolumeService): void {
  for (const name of volumeNames(mounts)) volumes.unmount(name, id);
}

/** After a daemon restart: a running container holds its volumes again. */
export function reattachMounts(id: string, mounts: readonly ContainerMount[], volumes: VolumeService): void {
  for (const m of mounts) {
    if (m.Type === 'volume' && m.Name !== undefined) {
      volumes.mount(m.Name, { containerId: id, destination: m.Destination, readOnly: !m.RW });
    }
  }
}

/** `rm -v` and `--rm`: the container's anonymous volumes go; one another container still uses stays. */
export async function removeAnonymousVolumes(
  mounts: readonly ContainerMount[],
  volumes: VolumeService,
  logger: Logger,
): Promise<void> {
  for (const m of mounts) {
    if (m.Type !== 'volume' || m.Anonymous !== true || m.Name === undefined) continue;
    await volumes.remove(m.Name, { force: true }).catch((e: unknown) => {
      if (!isBerthError(e, 'conflict'))
        logger.warn('removing a volume failed', { name: m.Name, error: errorMessage(e) });
    });
  }
}

/**
 * `docker cp`'s mounts (archive.ts FsView): binds as they are, volumes held
 * (and mounted, for a stopped container whose volume needs it) until
 * `release`. Not tmpfs mounts, as in Docker.
 */
export function holdViewMounts(
  id: string,
  mounts: readonly ContainerMount[],
  volumes: VolumeService,
): { mounts: ViewMount[]; release: () => void } {
  const holder = `${id}/cp-${randomBytes(6).toString('hex')}`;
  const held: string[] = [];
  const release = () => held.forEach((name) => volumes.unmount(name, id, holder));
  const out: ViewMount[] = [];
  try {
    for (const m of mounts) {
      const view = { destination: m.Destination, readOnly: !m.RW };
      if (m.Type === 'bind') out.push({ ...view, source: m.Source });
      if (m.Type !== 'volume' || m.Name === undefined) continue;
      out.push({ ...view, source: volumes.mount(m.Name, { containerId: id, holder, ...view }) });
      held.push(m.Name);
    }
  } catch (e) {
    release();
    throw e;
  }
  return { mounts: out, release };
}

/** Docker's `Mounts` in inspect and `ps`. */
export function mountPointsView(mounts: readonly ContainerMount[]): Api.MountPoint[] {
  return mounts.map((m) => ({
    Type: m.Type,
    ...(m.Name !== undefined ? { Name: m.Name } : {}),
    Source: m.Source,
    Destination: m.Destination,
    ...(m.Driver !== undefined ? { Driver: m.Driver } : {}),
    Mode: m.Mode,
    RW: m.RW,
    Propagation: m.Propagation,
  }));
}
