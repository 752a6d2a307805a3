import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/index.js';
import { conflict, errorMessage, notFound, type Logger } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import {
  addVolumeRefs,
  deleteVolume,
  getVolume,
  listVolumes,
  putVolume,
  volumeRefCounts,
  volumeUsers,
  type Db,
  type VolumeRow,
} from '../state/index.js';
import { directorySize } from './disk-usage.js';
import { matchesVolumeFilters, type VolumeFilters } from './filters.js';
import { isMountpoint, mountLocalVolume, unmountLocalVolume } from './local-mount.js';
import { needsMount, validateDriverOptions } from './mount-options.js';
import { ANONYMOUS_LABEL, anonymousVolumeName, validateVolumeName } from './names.js';

export interface VolumeServiceOptions {
  db: Db;
  /** `<data-root>/volumes`: each volume's files are in `<root>/<name>/_data`. */
  root: string;
  events: EventBus;
  logger: Logger;
}

export interface VolumeCreateRequest {
  /** Absent: a random 64-hex name. */
  name?: string;
  /** Made for one container (`-v /path`, an image's VOLUME): labelled so, for `rm -v` and prune. */
  anonymous?: boolean;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface CreatedVolume {
  volume: Api.Volume;
  /** False when a volume of that name existed already and is returned as it is. */
  created: boolean;
}

/** Who mounts a volume, for the refcount and the `mount` event. */
export interface VolumeMountRequest {
  containerId: string;
  /** Who holds the mount when not the container's run itself (a `docker cp`); defaults to the container. */
  holder?: string;
  destination: string;
  readOnly: boolean;
  propagation?: string;
}

export interface PruneOptions {
  filters?: VolumeFilters;
  /** API 1.42+: only anonymous volumes unless the `all` filter says otherwise. */
  anonymousOnly: boolean;
}

export interface PruneReport {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}

/**
 * Named and anonymous volumes of the `local` driver. A volume is a row and a
 * directory; one with `type`/`device` options is a filesystem mounted on its
 * directory while at least one container uses it. Containers are recorded
 * as users (`addRefs`) so removal refuses a volume any container refers to,
 * running or not.
 */
export interface VolumeService {
  /** Docker's create: an existing volume of that name is returned when the driver matches. */
  create(req: VolumeCreateRequest): Promise<CreatedVolume>;
  inspect(name: string): Api.Volume;
  list(filters?: VolumeFilters): Api.Volume[];
  /** `force` only makes a missing volume not an error; one in use is always refused (409). */
  remove(name: string, options?: { force?: boolean }): Promise<void>;
  prune(options: PruneOptions): Promise<PruneReport>;
  /** Every volume with its size and number of users, for `/system/df`. */
  diskUsage(): Promise<Api.Volume[]>;
  /** Records that a container (its row already written) uses these volumes. */
  addRefs(containerId: string, names: readonly string[]): void;
  /** Makes a volume ready for a starting container and returns the host path to bind. */
  mount(name: string, req: VolumeMountRequest): string;
  /** The container (or `holder` for it) no longer uses the volume; the last one out unmounts it. */
  unmount(name: string, containerId: string, holder?: string): void;
  /**
   * Startup, after running containers took their volumes back: unmounts
   * what a crash left mounted for containers that are gone.
   */
  unmountUnused(): void;
}

const LOCAL = 'local';

export function createVolumeService(options: VolumeServiceOptions): VolumeService {
  return new LocalVolumes(options);
}

class LocalVolumes implements VolumeService {
  /** Containers that have each volume mounted right now. */
  private readonly holders = new Map<string, Set<string>>();

  constructor(private readonly options: VolumeServiceOptions) {}

  private dataDir(name: string): string {
    return join(this.options.root, name, '_data');
  }

  async create(req: VolumeCreateRequest): Promise<CreatedVolume> {
    const name = req.name ?? anonymousVolumeName();
    validateVolumeName(name);
    const driver = req.driver || LOCAL;
    const existing = getVolume(this.options.db, name);
    if (existing) return { volume: this.view(this.sameDriver(existing, driver)), created: false };
    if (driver !== LOCAL) throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const driverOpts = req.driverOpts ?? {};
    validateDriverOptions(driverOpts);
    const labels = { ...(req.labels ?? {}), ...(req.anonymous === true ? { [ANONYMOUS_LABEL]: '' } : {}) };
    await mkdir(this.options.root, { recursive: true, mode: 0o701 });
    await mkdir(this.dataDir(name), { recursive: true, mode: 0o755 });
    const row: VolumeRow = {
      name,
      driver,
      created: Date.now(),
      labels,
      options: driverOpts,
      anonymous: req.anonymous === true,
    };
    // Files first, then the row; a create that lost a race returns the winner's volume.
    if (!putVolume(this.options.db, row)) return this.create({ ...req, name });
    this.options.events.emit('volume', 'create', name, { driver });
    return { volume: this.view(row), created: true };
  }

  private sameDriver(row: VolumeRow, driver: string): VolumeRow {
    if (row.driver !== driver) {
      throw conflict(
        `create ${row.name}: volume name must be unique: a volume named ${row.name} already exists with the "${row.driver}" driver`,
      );
    }
    return row;
  }

  inspect(name: string): Api.Volume {
    return this.view(this.get(name));
  }

  private get(name: string): VolumeRow {
    const row = getVolume(this.options.db, name);
    if (!row) throw notFound(`get ${name}: no such volume`);
    return row;
  }

  list(filters: VolumeFilters = new Map()): Api.Volume[] {
    const refs = volumeRefCounts(this.options.db);
    return listVolumes(this.options.db)
      .filter((row) => matchesVolumeFilters({ row, inUse: refs.has(row.name) }, filters))
      .map((row) => this.view(row));
  }

  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    const { db } = this.options;
    const row = db.transaction(() => {
      const found = getVolume(db, name);
      if (!found) return undefined;
      const users = volumeUsers(db, name);
      if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      deleteVolume(db, name);
      return found;
    });
    if (!row) {
      if (options.force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    // The row is gone first; files follow (DESIGN.md §3).
    this.holders.delete(name);
    unmountLocalVolume(this.dataDir(name));
    await rm(join(this.options.root, name), { recursive: true, force: true });
    this.options.events.emit('volume', 'destroy', name, { driver: row.driver });
  }

  async prune(options: PruneOptions): Promise<PruneReport> {
    const filters = options.filters ?? new Map<string, readonly string[]>();
    const refs = volumeRefCounts(this.options.db);
    const report: PruneReport = { VolumesDeleted: [], SpaceReclaimed: 0 };
    for (const row of listVolumes(this.options.db)) {
      if (refs.has(row.name) || !matchesVolumeFilters({ row, inUse: false }, filters)) continue;
      if (options.anonymousOnly && !(ANONYMOUS_LABEL in row.labels)) continue;
      const size = await directorySize(this.dataDir(row.name));
      try {
        await this.remove(row.name);
      } catch (e: unknown) {
        // A container took it meanwhile: it is no longer unused.
        this.options.logger.warn('volume prune skipped a volume', { name: row.name, error: errorMessage(e) });
        continue;
      }
      report.VolumesDeleted.push(row.name);
      report.SpaceReclaimed += size;
    }
    return report;
  }

  async diskUsage(): Promise<Api.Volume[]> {
    const refs = volumeRefCounts(this.options.db);
    const out: Api.Volume[] = [];
    for (const row of listVolumes(this.options.db)) {
      const size = await directorySize(this.dataDir(row.name));
      out.push({ ...this.view(row), UsageData: { Size: size, RefCount: refs.get(row.name) ?? 0 } });
    }
    return out;
  }

  addRefs(containerId: string, names: readonly string[]): void {
    addVolumeRefs(this.options.db, containerId, names);
  }

  mount(name: string, req: VolumeMountRequest): string {
    const row = this.get(name);
    const data = this.dataDir(name);
    const holders = this.holders.get(name) ?? new Set<string>();
    if (holders.size === 0 && needsMount(row.options) && !isMountpoint(data)) mountLocalVolume(row.options, data);
    holders.add(req.holder ?? req.containerId);
    this.holders.set(name, holders);
    this.options.events.emit('volume', 'mount', name, {
      driver: row.driver,
      container: req.containerId,
      destination: req.destination,
      'read/write': String(!req.readOnly),
      propagation: req.propagation ?? '',
    });
    return data;
  }

  unmount(name: string, containerId: string, holder = containerId): void {
    const holders = this.holders.get(name);
    if (!holders?.delete(holder)) return;
    const row = getVolume(this.options.db, name);
    if (holders.size === 0) {
      this.holders.delete(name);
      if (row && needsMount(row.options)) unmountLocalVolume(this.dataDir(name));
    }
    this.options.events.emit('volume', 'unmount', name, { driver: row?.driver ?? LOCAL, container: containerId });
  }

  unmountUnused(): void {
    for (const row of listVolumes(this.options.db)) {
      if (needsMount(row.options) && !this.holders.has(row.name)) unmountLocalVolume(this.dataDir(row.name));
    }
  }

  private view(row: VolumeRow): Api.Volume {
    return {
      CreatedAt: new Date(row.created).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Driver: row.driver,
      Labels: row.labels,
      Mountpoint: this.dataDir(row.name),
      Name: row.name,
      Options: row.options,
      Scope: 'local',
    };
  }
}
