import { conflict, errorMessage, invalidArgument, isErrno, notFound } from '../kernel/index.js';
import {
  attachSocketPath,
  buildRuntimeSpec,
  openAttachedStdin,
  resizeTerminal,
  type AttachedStdin,
  type TerminalSize,
  mergeImageDefaults,
  readExitCode,
  readLogs,
  type ContainerSettings,
  type LogEntry,
} from '../runtime/index.js';
import type { Api } from '../spec/index.js';
import { deleteContainer as deleteContainerRow, containersOfImage, type Db } from '../state/index.js';
import { discardWritable, purgeTrash } from '../snapshot/index.js';
import type { Readable } from 'node:stream';
import { archivePath, exportRootfs, extractInto, statPath, type FsView, type PathStat } from './archive.js';
import {
  discardVolumes,
  mountsOfContainer,
  ociMounts,
  planMounts,
  reattachMounts,
  removeAnonymousVolumes,
  volumeNames,
  type ContainerMount,
} from './volume-mounts.js';
import { joinedContainer, Lifecycle, type LifecycleDeps } from './lifecycle.js';
import { generateName, newContainerId, normaliseName } from './names.js';
import { containerPaths } from './paths.js';
import { ContainerStore } from './store.js';
import { initialState, type Container } from './types.js';
import { Waiters, type WaitCondition } from './waiters.js';
import { restartDelay, restartPolicyError, restartsWithDaemon, shouldRestart } from './restart-policy.js';
import { inspectView, summaryView } from './views.js';
import { matchesContainerFilters, type ContainerFilters } from './filters.js';
import { updateContainerResources } from '../runtime/index.js';
import { setContainerSpec } from '../state/index.js';
import { containerProcesses, type TopView } from './top.js';
import { containerStats, statsView, type StatsOptions } from './stats.js';
import { planUpdate, type UpdateRequest } from './stats-resources.js';

export interface CreateRequest {
  name?: string;
  image: string;
  config: ContainerSettings;
  hostConfig: Api.HostConfig;
  /** Seconds between the stop signal and SIGKILL (`--stop-timeout`). */
  stopTimeout?: number;
  /** Networks to join besides NetworkMode's, with aliases and addresses (`--network-alias`, `--ip`). */
  networkingConfig?: Api.NetworkingConfig;
}

export interface ContainerServiceOptions extends Omit<LifecycleDeps, 'store' | 'paths'> {
  db: Db;
  dataRoot: string;
  execRoot: string;
}

export interface OutputOptions {
  stdout?: boolean;
  stderr?: boolean;
  follow?: boolean;
  tail?: number;
  sinceNs?: bigint;
  untilNs?: bigint;
  signal?: AbortSignal;
}

/** Docker's default grace period before SIGKILL. */
const DEFAULT_STOP_TIMEOUT = 10;

/**
 * The container operations every face calls. Files come before rows on
 * create and after them on remove, as everywhere in berth.
 */
export class ContainerService {
  readonly store: ContainerStore;
  private readonly lifecycle: Lifecycle;
  private readonly waiters = new Waiters();
  private readonly paths;

  constructor(private readonly options: ContainerServiceOptions) {
    this.store = new ContainerStore(options.db);
    this.paths = containerPaths(options.dataRoot, options.execRoot);
    this.lifecycle = new Lifecycle({ ...options, store: this.store, paths: this.paths }, (c) => this.exited(c));
  }

  async create(req: CreateRequest): Promise<{ Id: string; Warnings: string[] }> {
    const name = req.name ? normaliseName(req.name) : generateName((n) => this.store.nameTaken(n));
    const existing = this.store.find(name);
    if (existing && existing.name === name) {
      throw conflict(
        `Conflict. The container name "/${name}" is already in use by container "${existing.id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    const image = await this.options.images.resolve(req.image);
    const config = mergeImageDefaults(req.config, image.defaults);
    if (!config.Cmd?.length && !config.Entrypoint?.length) throw invalidArgument('no command specified');
    const policyError = restartPolicyError(req.hostConfig.RestartPolicy, req.hostConfig.AutoRemove === true);
    if (policyError) throw invalidArgument(policyError);
    for (const mode of [req.hostConfig.PidMode, req.hostConfig.IpcMode]) {
      const ref = joinedContainer(mode);
      // 400, not 404: the docker CLI takes a 404 from create for a missing image and pulls.
      if (ref !== undefined && !this.store.find(ref)) throw invalidArgument(`No such container: ${ref}`);
    }
    const endpoints = this.options.networks.plan(name, req.hostConfig, req.networkingConfig);
    const mountsOf = (ref: string) => mountsOfContainer(this.store.get(ref).spec);
    const planned = await planMounts({ config, hostConfig: req.hostConfig, mountsOf }, this.options.volumes);
    let c: Container;
    try {
      c = this.insertNew(name, req, image.id, config, planned.mounts);
      this.options.networks.record(c.id, endpoints);
    } catch (e) {
      // Nothing of a failed create stays behind, volumes it made included.
      await discardVolumes(planned, this.options.volumes);
      throw e;
    }
    this.options.events.emit('container', 'create', c.id, { name, image: req.image });
    return { Id: c.id, Warnings: [] };
  }

  /** Checks the settings as a start would (Docker refuses them at create), then writes the row. */
  private insertNew(
    name: string,
    req: CreateRequest,
    imageId: Container['spec']['imageId'],
    config: ContainerSettings,
    mounts: ContainerMount[],
  ): Container {
    buildRuntimeSpec({
      id: '0'.repeat(64),
      rootfs: '/',
      config,
      hostConfig: req.hostConfig,
      user: { uid: 0, gid: 0, additionalGids: [], home: '/' },
      mounts: ociMounts(mounts, (m) => m.Source),
      network: { kind: 'new' },
      host: this.options.host,
    });
    const c: Container = {
      id: newContainerId(),
      name,
      created: Date.now(),
      spec: {
        image: req.image,
        imageId,
        config,
        hostConfig: req.hostConfig,
        ...(req.stopTimeout !== undefined ? { stopTimeout: req.stopTimeout } : {}),
        mounts,
      },
      state: initialState(),
    };
    this.options.db.transaction(() => {
      this.store.insert(c);
      this.options.volumes.addRefs(c.id, volumeNames(mounts));
    });
    return c;
  }

  async start(ref: string): Promise<'started' | 'already'> {
    const c = this.store.get(ref);
    if (c.state.status === 'running' || c.state.status === 'paused') return 'already';
    c.state = { ...c.state, manuallyStopped: false };
    await this.lifecycle.start(c);
    return 'started';
  }

  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const c = this.markStopped(this.store.get(ref));
    await this.lifecycle.kill(c, signal);
    this.options.events.emit('container', 'kill', c.id, { name: c.name, signal });
  }

  /** Docker's stop: StopSignal, then SIGKILL after the timeout. False when it was not running. */
  async stop(ref: string, options: { signal?: string; timeout?: number } = {}): Promise<boolean> {
    const c = this.store.get(ref);
    if (c.state.status === 'restarting') {
      c.state = { ...c.state, status: 'exited' };
      this.markStopped(c);
      return true;
    }
    if (c.state.status !== 'running' && c.state.status !== 'paused') return false;
    this.markStopped(c);
    const exited = this.waiters.wait(c, 'not-running');
    const timeout = options.timeout ?? c.spec.stopTimeout ?? DEFAULT_STOP_TIMEOUT;
    await this.lifecycle.kill(c, options.signal ?? c.spec.config.StopSignal ?? 'SIGTERM').catch(() => {});
    const graceful = timeout < 0 ? await exited : await Promise.race([exited, delay(timeout * 1000)]);
    if (graceful === undefined) {
      await this.lifecycle.kill(this.store.get(c.id), 'SIGKILL').catch(() => {});
      await exited;
    }
    // As in Docker, a stop returns with the container's network released.
    await this.options.networks.released(c.id);
    this.options.events.emit('container', 'stop', c.id, { name: c.name });
    return true;
  }

  /**
   * `volumes` (`rm -v`): the container's anonymous volumes go too. A removal
   * asked for returns with the container's network released, as in Docker;
   * the daemon's own `--rm` removal (`auto`) reports `removed` without
   * waiting for it (ContainerNetworking.release).
   */
  async remove(ref: string, options: { force?: boolean; volumes?: boolean; auto?: boolean } = {}): Promise<void> {
    const c = this.store.get(ref);
    if (c.state.status === 'running' || c.state.status === 'paused') {
      if (!options.force) {
        throw conflict(
          `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`,
        );
      }
      const exited = this.waiters.wait(c, 'not-running');
      await this.lifecycle.kill(c, 'SIGKILL').catch(() => {});
      await exited;
    }
    // Every exit already deleted the runc container and unmounted the rootfs (recordExit).
    this.lifecycle.health.stop(c.id);
    deleteContainerRow(this.options.db, c.id);
    this.options.networks.forget(c.id);
    // The files go after the removal is reported: `docker run --rm` waits for it.
    const { deleted } = await discardWritable(this.paths.dir(c.id), this.paths.trash);
    deleted.catch((e: unknown) =>
      this.options.logger.warn('deleting a removed container failed', { id: c.id, error: errorMessage(e) }),
    );
    if (options.volumes) {
      await removeAnonymousVolumes(mountsOfContainer(c.spec), this.options.volumes, this.options.logger);
    }
    this.options.events.emit('container', 'destroy', c.id, { name: c.name, image: c.spec.image });
    this.waiters.removed(c);
    if (!options.auto) await this.options.networks.released(c.id);
  }

  wait(
    ref: string,
    condition: WaitCondition = 'not-running',
    signal?: AbortSignal,
  ): Promise<{ StatusCode: number; Error?: { Message: string } }> {
    const c = this.store.get(ref);
    return this.waiters.wait(c, condition, signal).then((done) => ({
      StatusCode: done.state.exitCode,
      ...(done.state.error ? { Error: { Message: done.state.error } } : {}),
    }));
  }

  async restart(ref: string, options: { signal?: string; timeout?: number } = {}): Promise<void> {
    await this.stop(ref, options);
    await this.start(ref);
    const c = this.store.get(ref);
    this.options.events.emit('container', 'restart', c.id, { name: c.name });
  }

  async pause(ref: string): Promise<void> {
    const c = this.store.get(ref);
    if (c.state.status !== 'running') throw conflict(`Container ${c.id} is not running`);
    await this.lifecycle.pause(c, true);
    c.state = { ...c.state, status: 'paused' };
    this.store.saveState(c);
    this.options.events.emit('container', 'pause', c.id, { name: c.name });
  }

  async unpause(ref: string): Promise<void> {
    const c = this.store.get(ref);
    if (c.state.status !== 'paused') throw conflict(`Container ${c.id} is not paused`);
    await this.lifecycle.pause(c, false);
    c.state = { ...c.state, status: 'running' };
    this.store.saveState(c);
    this.options.events.emit('container', 'unpause', c.id, { name: c.name });
  }

  rename(ref: string, newName: string): void {
    const c = this.store.get(ref);
    const name = normaliseName(newName);
    const other = this.store.find(name);
    if (other && other.name === name && other.id !== c.id) {
      throw conflict(
        `Conflict. The container name "/${name}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    this.store.rename(c, name);
    this.options.networks.rename(c.id, name);
    this.options.events.emit('container', 'rename', c.id, { name, oldName: `/${c.name}` });
  }

  /** `docker container prune`: every stopped container. */
  async prune(): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }> {
    const deleted: string[] = [];
    for (const c of this.store.list()) {
      if (c.state.status !== 'exited' && c.state.status !== 'created' && c.state.status !== 'dead') continue;
      await this.remove(c.id);
      deleted.push(c.id);
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: 0 };
  }

  statPath(ref: string, path: string): Promise<PathStat> {
    const c = this.store.get(ref);
    return this.lifecycle.withFsView(c, (view) => statPath(view, path));
  }

  /** A tar of a path in the container (its volumes and binds included), with its stat. */
  async archive(ref: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    return this.archiveOf(ref, path, (view) => archivePath(view, path));
  }

  /** `docker export`: the root filesystem as a tar, without the volumes and binds (as in Docker). */
  async export(ref: string): Promise<Readable> {
    return (await this.archiveOf(ref, '/', (view) => exportRootfs(view.rootfs))).tar;
  }

  /** A tar made from the container's view, with the path's stat; the rootfs stays mounted until the tar is read. */
  private async archiveOf(
    ref: string,
    path: string,
    make: (view: FsView) => Promise<Readable>,
  ): Promise<{ stat: PathStat; tar: Readable }> {
    const c = this.store.get(ref);
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const ready = new Promise<{ stat: PathStat; tar: Readable }>((resolve, reject) => {
      this.lifecycle
        .withFsView(c, async (view) => {
          const stat = await statPath(view, path);
          const tar = await make(view);
          tar.once('close', release);
          resolve({ stat, tar });
          await done;
        })
        .catch(reject);
    });
    return ready;
  }

  async putArchive(ref: string, path: string, body: Readable, signal?: AbortSignal): Promise<void> {
    const c = this.store.get(ref);
    await this.lifecycle.withFsView(c, (view) => extractInto(view, path, body, signal));
  }

  /** The container's directory: its writable layer is `upper/` there. */
  dirOf(c: Container): string {
    return this.paths.dir(c.id);
  }

  /** The init layer under every container's writable layer (what `diff` does not count as a change). */
  initLayer(): Promise<string> {
    return this.paths.initLayer();
  }

  /** IDs of containers made from an image, for `rmi`. */
  usersOf(imageId: string): Container[] {
    return containersOfImage(this.options.db, imageId).map((id) => this.store.get(id));
  }

  /**
   * A container's output from its log: `docker logs` (optionally following)
   * and attach (following). A container that has not started yet is waited
   * for, so `docker run`, which attaches before it starts, sees every line.
   */
  async *output(ref: string, options: OutputOptions): AsyncIterable<LogEntry> {
    let c = this.store.get(ref);
    if (options.follow && c.state.status === 'created') {
      c = await this.started(c, options.signal);
      if (options.signal?.aborted) return;
    }
    if (c.state.status === 'created') return;
    const exited = this.waiters.wait(c, 'not-running');
    yield* readLogs(this.paths.log(c.id), { ...options, exited });
  }

  /** Resolves once the container left `created` (started, or failed to). */
  private started(c: Container, signal?: AbortSignal): Promise<Container> {
    return new Promise((resolve) => {
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        unsubscribe();
        signal?.removeEventListener('abort', done);
        resolve(this.store.find(c.id) ?? c);
      };
      const unsubscribe = this.options.events.subscribe((e) => {
        if (e.Actor.ID === c.id && (e.Action === 'start' || e.Action === 'die' || e.Action === 'destroy')) done();
      });
      signal?.addEventListener('abort', done, { once: true });
      // It may have started between the read and the subscription.
      if (this.store.find(c.id)?.state.status !== 'created') done();
    });
  }

  list(options: { all?: boolean; filters?: ContainerFilters } = {}): Container[] {
    // Read once, and only when a `network` filter asks.
    let memberships: ReadonlyMap<string, readonly { id: string; name: string }[]> | undefined;
    const lookups = {
      get: (ref: string) => this.store.get(ref),
      networksOf: (id: string) => (memberships ??= this.options.networks.memberships()).get(id) ?? [],
    };
    return this.store
      .list()
      .filter((c) => options.all || c.state.status === 'running' || c.state.status === 'paused')
      .filter((c) => matchesContainerFilters(c, options.filters ?? {}, lookups));
  }

  inspect(ref: string): Record<string, unknown> {
    const c = this.store.get(ref);
    return {
      ...inspectView(c, this.paths),
      NetworkSettings: this.options.networks.settings(c.id, Object.keys(c.spec.config.ExposedPorts ?? {})),
    };
  }

  /** `GET /containers/json` items, with the ports and networks only networking knows. */
  summaries(list: readonly Container[]): Api.ContainerSummary[] {
    const nets = this.options.networks.summaries(
      list.map((c) => ({ id: c.id, exposed: Object.keys(c.spec.config.ExposedPorts ?? {}) })),
    );
    return list.map((c, i) => {
      const net = nets[i]!;
      return { ...summaryView(c), Ports: net.ports, NetworkSettings: { Networks: net.networks } };
    });
  }

  /** `docker network connect`: attached at once when the container runs, else at its next start. */
  async connectNetwork(ref: string, network: string, settings?: Api.EndpointSettings): Promise<void> {
    const c = this.store.get(ref);
    const running = c.state.status === 'running' || c.state.status === 'paused';
    await this.options.networks.connect(
      { id: c.id, name: c.name, running, hostConfig: c.spec.hostConfig },
      network,
      settings,
    );
  }

  async disconnectNetwork(ref: string, network: string): Promise<void> {
    await this.options.networks.disconnect(this.store.get(ref), network);
  }

  /** Records an API stop or kill, which restart policies must respect. */
  private markStopped(c: Container): Container {
    c.state = { ...c.state, manuallyStopped: true };
    this.store.saveState(c);
    return c;
  }

  private exited(c: Container): void {
    this.waiters.exited(c);
    if (shouldRestart(c.spec.hostConfig.RestartPolicy, c.state)) {
      this.scheduleRestart(c);
      return;
    }
    if (c.spec.hostConfig.AutoRemove) {
      // --rm takes the container's anonymous volumes with it, as Docker's does.
      this.remove(c.id, { volumes: true, auto: true }).catch((e: unknown) =>
        this.options.logger.warn('auto-remove failed', { id: c.id, error: errorMessage(e) }),
      );
    }
  }

  /** Restart policies: Docker's backoff, then a start; the container shows `restarting` meanwhile. */
  private scheduleRestart(c: Container): void {
    const ranFor = Date.parse(c.state.finishedAt) - Date.parse(c.state.startedAt);
    const delay = restartDelay(c.state, Number.isNaN(ranFor) ? 0 : ranFor);
    c.state = { ...c.state, status: 'restarting', restartCount: c.state.restartCount + 1 };
    this.store.saveState(c);
    setTimeout(() => {
      const current = this.store.find(c.id);
      // Removed, stopped by hand or started by someone else while waiting.
      if (current?.state.status !== 'restarting' || current.state.manuallyStopped) return;
      this.options.events.emit('container', 'restart', c.id, { name: c.name });
      this.lifecycle
        .start(current)
        .catch((e: unknown) => this.options.logger.warn('restart failed', { id: c.id, error: errorMessage(e) }));
    }, delay).unref();
  }

  /**
   * Startup reconcile (live restore): containers that still run are watched
   * again; exits that happened while berthd was down are recorded with the
   * code conmon wrote.
   */
  async reconcile(): Promise<void> {
    await purgeTrash(this.paths.trash);
    for (const c of this.store.list()) {
      if (c.state.status !== 'running' && c.state.status !== 'paused') continue;
      if (await this.lifecycle.isAlive(c)) {
        this.lifecycle.watch(c);
        this.lifecycle.health.start(c);
        reattachMounts(c.id, mountsOfContainer(c.spec), this.options.volumes);
        continue;
      }
      const code = (await readExitCode(this.paths.exitDir, c.id)) ?? -1;
      await this.lifecycle.cleanUpRuntime(c);
      c.state = { ...c.state, status: 'exited', exitCode: code, pid: 0, finishedAt: new Date().toISOString() };
      this.store.saveState(c);
      this.exited(c);
    }
    const running = this.store.list().filter((c) => c.state.status === 'running' || c.state.status === 'paused');
    const runningIds = new Set(running.map((c) => c.id));
    await this.lifecycle.deleteStrayRuntimes(runningIds);
    await this.options.networks.reconcile(runningIds, new Set(this.store.list().map((c) => c.id)));
    // Docker starts `always` (and `unless-stopped`) containers when the daemon starts.
    for (const c of this.store.list()) {
      if (c.state.status === 'exited' && restartsWithDaemon(c.spec.hostConfig.RestartPolicy, c.state)) {
        await this.lifecycle
          .start(c)
          .catch((e: unknown) =>
            this.options.logger.warn('start on daemon start failed', { id: c.id, error: errorMessage(e) }),
          );
      }
    }
  }

  get(ref: string): Container {
    const c = this.store.find(ref);
    if (!c) throw notFound(`No such container: ${ref}`);
    return c;
  }

  // ---- top, stats and update (top.ts, stats.ts, stats-resources.ts) ----

  /** `docker top`: the container's processes as the host's `ps` shows them. */
  async top(ref: string, psArgs = ''): Promise<TopView> {
    const c = this.store.get(ref);
    if (c.state.status !== 'running' && c.state.status !== 'paused') {
      throw conflict(`Container ${c.id} is not running`);
    }
    return containerProcesses(c.state.pid, psArgs);
  }

  /** `docker stats`: a stopped container yields one object of zeros, as Docker's does. */
  async *stats(ref: string, options: StatsOptions): AsyncIterable<Api.ContainerStatsResponse> {
    const c = this.store.get(ref);
    if (c.state.status !== 'running' && c.state.status !== 'paused') {
      yield statsView(c, undefined, undefined);
      return;
    }
    yield* containerStats({ id: c.id, name: c.name, pid: c.state.pid }, options);
  }

  /** `docker update`: new limits applied to a running container's cgroups, then stored. */
  async update(ref: string, req: UpdateRequest): Promise<{ Warnings: string[] }> {
    const c = this.store.get(ref);
    const { hostConfig, resources } = planUpdate(c.spec.hostConfig, req, this.options.host);
    if (c.state.status === 'running' || c.state.status === 'paused') {
      await updateContainerResources(c.id, resources, req.PidsLimit, { runcRoot: this.paths.runcRoot });
    }
    c.spec = { ...c.spec, hostConfig };
    setContainerSpec(this.options.db, c.id, JSON.stringify(c.spec));
    this.options.events.emit('container', 'update', c.id, { name: c.name });
    return { Warnings: [] };
  }

  // ---- stdin and terminal (runtime/attach.ts) ----

  /**
   * The container's stdin for an attach with `stdin=1`. A created container
   * (`docker run -i` attaches before it starts) is waited for; undefined when
   * it never runs (failed start, or the client left first).
   */
  async attachInput(ref: string, signal?: AbortSignal): Promise<AttachedStdin | undefined> {
    let c = this.store.get(ref);
    if (c.spec.config.OpenStdin !== true) throw conflict(`container ${c.id} was not created with stdin open`);
    if (c.state.status === 'created') c = await this.started(c, signal);
    if (signal?.aborted || c.state.status !== 'running') return undefined;
    try {
      return openAttachedStdin(attachSocketPath(this.paths.socketDir, c.id));
    } catch (e: unknown) {
      // The container exited between the check and the connect: nothing to feed.
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ECONNREFUSED')) return undefined;
      throw e;
    }
  }

  /** `POST /containers/{id}/resize`: the terminal's window size; a container without one ignores it. */
  async resize(ref: string, size: TerminalSize): Promise<void> {
    const c = this.store.get(ref);
    if (c.state.status !== 'running' && c.state.status !== 'paused') {
      throw conflict(`Container ${c.id} is not running`);
    }
    try {
      await resizeTerminal(this.paths.dir(c.id), size);
    } catch (e: unknown) {
      if (isErrno(e, 'ENXIO') || isErrno(e, 'ENOENT')) throw conflict(`Container ${c.id} is not running`);
      throw e;
    }
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
