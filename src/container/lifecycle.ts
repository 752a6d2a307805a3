import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/index.js';
import { BerthError, conflict, errorMessage, isBerthError, type Logger } from '../kernel/index.js';
import {
  buildRuntimeSpec,
  createContainer,
  deleteContainer as deleteRuncContainer,
  clearOomKilled,
  exitCodeOfStartFailure,
  hostDevices,
  wasOomKilled,
  killContainer,
  listContainers,
  pauseContainer,
  resumeContainer,
  removeExitFile,
  resolveUser,
  startContainer,
  stateOf,
  waitForExit,
  type HostFacts,
} from '../runtime/index.js';
import { mountWritable, prepareWritable, unmountWritable } from '../snapshot/index.js';
import type { FsView } from './archive.js';
import { holdViewMounts, mountsOfContainer, prepareMounts, releaseMounts } from './volume-mounts.js';
import { startNetwork, type StartedNetwork } from './network-hooks.js';
import { HealthMonitor } from './health-monitor.js';
import type { ContainerPaths } from './paths.js';
import type { ContainerStore } from './store.js';
import type { Container, ImageResolver } from './types.js';
import type { VolumeService } from '../volume/index.js';
import type { ContainerNetworking } from '../network/index.js';

export interface LifecycleDeps {
  store: ContainerStore;
  paths: ContainerPaths;
  images: ImageResolver;
  events: EventBus;
  logger: Logger;
  host: HostFacts;
  volumes: VolumeService;
  networks: ContainerNetworking;
}

/** Called once per exit, after the state is recorded. */
export type ExitListener = (c: Container) => void;

/** The container a `--pid`/`--ipc container:<x>` mode names, or undefined for any other mode. */
export function joinedContainer(mode: string | undefined): string | undefined {
  return mode?.startsWith('container:') ? mode.slice('container:'.length) : undefined;
}

/**
 * Starting containers and noticing their exits. Each running container has
 * one exit watcher (on conmon's exit file); its exit is recorded in the
 * database first, then announced.
 */
export class Lifecycle {
  private readonly watching = new Set<string>();
  /** `runc delete`s still running after an exit, by container ID (see deleteRuntime). */
  private readonly deleting = new Map<string, Promise<void>>();
  /** Healthchecks of running containers: started with them, stopped at their exit. */
  readonly health: HealthMonitor;

  constructor(
    private readonly deps: LifecycleDeps,
    private readonly onExit: ExitListener,
  ) {
    this.health = new HealthMonitor(deps);
  }

  private runc() {
    return { runcRoot: this.deps.paths.runcRoot };
  }

  async start(c: Container): Promise<void> {
    if (c.state.status === 'running' || c.state.status === 'paused') return;
    // Networking (namespace, CNI) runs while the rootfs is mounted; awaited before runc needs it.
    const network = startNetwork(
      { networks: this.deps.networks, store: this.deps.store },
      c,
      this.deps.paths.dir(c.id),
    );
    // Settled once nothing of the network setup is still running, whether it worked or not.
    const settled = network
      .then(
        (n) => n.ready.then(() => true),
        () => false,
      )
      .catch(() => true);
    const mountpoint = await this.mountRootfs(c).catch(async (e: unknown) => {
      if (await settled) await this.deps.networks.tearDown(c.id);
      throw e;
    });
    try {
      await this.createAndStart(c, mountpoint, network);
    } catch (e) {
      await settled;
      await this.cleanUpRuntime(c).catch(() => {});
      const code = exitCodeOfStartFailure(errorMessage(e));
      c.state = { ...c.state, status: 'exited', exitCode: code ?? 128, error: errorMessage(e), pid: 0 };
      this.deps.store.saveState(c);
      // A start that failed is an exit as far as waiters, attach and --rm are concerned.
      this.deps.events.emit('container', 'die', c.id, {
        name: c.name,
        image: c.spec.image,
        exitCode: String(c.state.exitCode),
      });
      this.onExit(c);
      throw isBerthError(e) ? e : new BerthError('internal', errorMessage(e), { cause: e });
    }
  }

  /** Mounts the container's root filesystem: writable layer over the init layer over the image. */
  async mountRootfs(c: Container): Promise<string> {
    const dir = this.deps.paths.dir(c.id);
    const layer = await prepareWritable({
      root: dir,
      lowerDirs: [await this.deps.paths.initLayer(), ...(await this.deps.images.lowerDirs(c.spec.imageId))],
    });
    // A --rm container's layer goes with it: nothing in it has to survive a crash.
    mountWritable(layer, { volatile: c.spec.hostConfig.AutoRemove === true });
    return layer.mountpoint;
  }

  /**
   * Runs `fn` with the container's root filesystem mounted: the live mount
   * of a running container, or a temporary one for a stopped container
   * (`docker cp` and `export` work on both).
   */
  async withRootfs<T>(c: Container, fn: (rootfs: string) => Promise<T>): Promise<T> {
    const running = c.state.status === 'running' || c.state.status === 'paused';
    const rootfs = running ? join(this.deps.paths.dir(c.id), 'rootfs') : await this.mountRootfs(c);
    try {
      return await fn(rootfs);
    } finally {
      if (!running) await unmountWritable(rootfs);
    }
  }

  /** `docker cp`'s view of the container (archive.ts), its volumes held while `fn` runs. */
  async withFsView<T>(c: Container, fn: (view: FsView) => Promise<T>): Promise<T> {
    return this.withRootfs(c, async (rootfs) => {
      const held = holdViewMounts(c.id, mountsOfContainer(c.spec), this.deps.volumes);
      try {
        return await fn({ rootfs, mounts: held.mounts, readOnlyRootfs: c.spec.hostConfig.ReadonlyRootfs === true });
      } finally {
        held.release();
      }
    });
  }

  private async createAndStart(c: Container, rootfs: string, started: Promise<StartedNetwork>): Promise<void> {
    const { paths, host } = this.deps;
    const dir = paths.dir(c.id);
    const user = await resolveUser(rootfs, c.spec.config.User ?? '', { groupAdd: c.spec.hostConfig.GroupAdd });
    const mounts = await prepareMounts(c.id, mountsOfContainer(c.spec), rootfs, this.deps.volumes);
    const devices = await hostDevices(c.spec.hostConfig.Devices);
    const joined = this.joinedNamespaces(c);
    const network = await started;
    const spec = buildRuntimeSpec({
      id: c.id,
      rootfs,
      config: c.spec.config,
      hostConfig: c.spec.hostConfig,
      user,
      mounts,
      etcFiles: network.etcFiles,
      network: network.namespace,
      host,
      devices,
      joined,
    });
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
    await mkdir(paths.exitDir, { recursive: true });
    await mkdir(paths.socketDir, { recursive: true });
    await removeExitFile(paths.exitDir, c.id);
    await this.deleting.get(c.id);
    await clearOomKilled(dir);
    // The interfaces are configured while runc creates the container; both
    // settle before anything is reported, so a clean-up finds what was made.
    const [creating, networking] = await Promise.allSettled([
      createContainer({
        id: c.id,
        bundle: dir,
        runcRoot: paths.runcRoot,
        exitDir: paths.exitDir,
        logPath: paths.log(c.id),
        socketDir: paths.socketDir,
        tty: c.spec.config.Tty === true,
        stdin: c.spec.config.OpenStdin === true,
        stdinOnce: c.spec.config.StdinOnce === true,
        name: c.name,
      }),
      network.ready,
    ]);
    // A failed attach also fails the create (its namespace is gone): report the cause.
    if (networking.status === 'rejected') throw networking.reason;
    if (creating.status === 'rejected') throw creating.reason;
    const created = creating.value;
    await startContainer(c.id, created.pid, this.runc());
    c.state = {
      ...c.state,
      status: 'running',
      pid: created.pid,
      conmonPid: created.conmonPid,
      exitCode: 0,
      error: '',
      startedAt: new Date().toISOString(),
    };
    this.deps.store.saveState(c);
    this.deps.events.emit('container', 'start', c.id, { name: c.name, image: c.spec.image });
    this.watch(c);
    this.health.start(c);
  }

  /** `--pid`/`--ipc container:<x>`: the namespace files of x's init, which must be running. */
  private joinedNamespaces(c: Container): { pid?: string; ipc?: string } {
    const joined: { pid?: string; ipc?: string } = {};
    for (const [kind, mode] of [
      ['pid', c.spec.hostConfig.PidMode],
      ['ipc', c.spec.hostConfig.IpcMode],
    ] as const) {
      const ref = joinedContainer(mode);
      if (ref === undefined) continue;
      const target = this.deps.store.get(ref);
      if (target.state.status !== 'running' && target.state.status !== 'paused') {
        throw conflict(`cannot join ${kind.toUpperCase()} of a non running container: ${target.id}`);
      }
      joined[kind] = `/proc/${target.state.pid}/ns/${kind}`;
    }
    return joined;
  }

  /** Follows a running container's exit; at most one watcher each. */
  watch(c: Container): void {
    if (this.watching.has(c.id)) return;
    this.watching.add(c.id);
    waitForExit(this.deps.paths.exitDir, c.id, { conmonPid: c.state.conmonPid })
      .catch((e: unknown) => {
        this.deps.logger.warn('lost track of a container', { id: c.id, error: errorMessage(e) });
        return -1;
      })
      .then((code) => this.recordExit(c.id, code))
      .catch((e: unknown) => this.deps.logger.error('recording an exit failed', { id: c.id, error: errorMessage(e) }))
      .finally(() => this.watching.delete(c.id));
  }

  private async recordExit(id: string, code: number): Promise<void> {
    const c = this.deps.store.find(id);
    this.health.stop(id);
    if (!c) return;
    const oomKilled = await wasOomKilled(this.deps.paths.dir(c.id));
    await this.cleanUpRuntime(c);
    c.state = { ...c.state, status: 'exited', exitCode: code, oomKilled, pid: 0, finishedAt: new Date().toISOString() };
    this.deps.store.saveState(c);
    this.deps.events.emit('container', 'die', c.id, { name: c.name, image: c.spec.image, exitCode: String(code) });
    this.onExit(c);
  }

  /** Deletes the runc container, releases its network and unmounts the rootfs; the writable layer stays. */
  async cleanUpRuntime(c: Container): Promise<void> {
    // The CNI DELs (plugin processes) and runc delete both run in the background; they only need the processes gone.
    this.deps.networks.release(c.id);
    const runtime = this.deleteRuntime(c.id);
    // In the host's pid namespace (or another container's) the init's children
    // outlive it, holding the rootfs, until runc delete kills them; in its own,
    // the kernel killed them.
    const pidMode = c.spec.hostConfig.PidMode;
    if (pidMode === 'host' || joinedContainer(pidMode) !== undefined) await runtime;
    releaseMounts(c.id, mountsOfContainer(c.spec), this.deps.volumes);
    const mountpoint = join(this.deps.paths.dir(c.id), 'rootfs');
    try {
      await unmountWritable(mountpoint);
    } catch (e) {
      this.deps.logger.warn('unmount failed', { id: c.id, error: errorMessage(e) });
    }
  }

  /**
   * `runc delete` of a stopped container only removes its cgroups and runc's
   * record, yet costs a runc start-up (~30 ms): it runs off the exit path, so
   * `--rm` and `wait` do not pay for it. A new start of the container waits
   * for it (runc refuses an ID it still knows); a daemon crash meanwhile is
   * covered by the startup reconcile, which deletes what runc still lists.
   */
  private deleteRuntime(id: string): Promise<void> {
    const deleting = deleteRuncContainer(id, { ...this.runc(), force: true })
      .catch((e: unknown) => this.deps.logger.warn('runc delete failed', { id, error: errorMessage(e) }))
      .finally(() => {
        if (this.deleting.get(id) === deleting) this.deleting.delete(id);
      });
    this.deleting.set(id, deleting);
    return deleting;
  }

  /** After a crash: runc records of containers that are not running (a delete or start cut short). */
  async deleteStrayRuntimes(running: ReadonlySet<string>): Promise<void> {
    const ids = await listContainers(this.runc()).catch((e: unknown) => {
      this.deps.logger.warn('runc list failed', { error: errorMessage(e) });
      return [];
    });
    await Promise.all(ids.filter((id) => !running.has(id)).map((id) => this.deleteRuntime(id)));
  }

  async kill(c: Container, signal: string | number): Promise<void> {
    if (c.state.status !== 'running' && c.state.status !== 'paused') {
      throw conflict(`Cannot kill container: ${c.id}: Container ${c.id} is not running`);
    }
    await killContainer(c.id, signal, { ...this.runc(), all: false });
  }

  /** Freezes or thaws every process of the container (runc pause/resume, the freezer cgroup). */
  async pause(c: Container, paused: boolean): Promise<void> {
    await (paused ? pauseContainer : resumeContainer)(c.id, this.runc());
  }

  /** Is the container really running? (after a daemon restart) */
  async isAlive(c: Container): Promise<boolean> {
    const state = await stateOf(c.id, this.runc()).catch(() => undefined);
    return state?.status === 'running' || state?.status === 'paused';
  }
}
