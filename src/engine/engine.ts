import { mkdir } from 'node:fs/promises';
import { openContentStore } from '../content/index.js';
import { createEventBus, type EventBus } from '../events/index.js';
import { Leases, lockRoot, type Digest, type Logger } from '../kernel/index.js';
import { ContainerService, ExecService, type ImageResolver } from '../container/index.js';
import { readHostFacts } from '../runtime/index.js';
import { openSnapshotter } from '../snapshot/index.js';
import { openStateDatabase } from '../state/index.js';
import { createVolumeService, type VolumeService } from '../volume/index.js';
import { defaultBridgeDevice, NetworkService } from '../network/index.js';
import { commitContainer, containerChanges, type ChangeView, type CommitOptions } from './commit.js';
import { layout, withDefaults, type EngineConfig, type EngineConfigInput } from './config.js';
import type { ImageDeps } from './images/deps.js';
import { lowerDirsOf } from './images/image-store.js';
import { createImageService, type ImageService } from './images/image-service.js';
import { openRegistryClient } from './registry-client.js';
import { ImageStore } from './images/image-store.js';
import { UnpackPool } from './images/unpack-pool.js';
import { systemInfo, type SystemInfoView } from './system-info.js';
import { createEngineBuilder } from './build.js';
import { createBuildNetwork } from './build-network.js';
import type { Builder } from '../build/index.js';

/** Every engine service, built once from config: the composition root (STYLE.md §1.12). */
export interface Engine {
  readonly config: EngineConfig;
  readonly images: ImageService;
  readonly containers: ContainerService;
  /** `docker exec`: processes run in running containers. */
  readonly execs: ExecService;
  readonly events: EventBus;
  /** Named and anonymous volumes (`/volumes`). */
  readonly volumes: VolumeService;
  /** Networks (`/networks`); containers join them through `containers`. */
  readonly networks: NetworkService;
  info(): Promise<SystemInfoView>;
  /** `docker diff`: the writable layer's changes. */
  containerChanges(ref: string): Promise<(ChangeView & { Size: number })[]>;
  /** `docker commit`: a new image from a container's writable layer. */
  commit(ref: string, options?: CommitOptions): Promise<Digest>;
  /** `docker build` and the build cache. */
  readonly builder: Builder;
  close(): Promise<void>;
}

export async function createEngine(partial: EngineConfigInput, logger: Logger): Promise<Engine> {
  const config = withDefaults(partial);
  const paths = layout(config);
  await mkdir(config.dataRoot, { recursive: true, mode: 0o711 });
  await mkdir(config.execRoot, { recursive: true, mode: 0o711 });
  // Before anything reads or reconciles state: one daemon per root.
  const locks = [await lockRoot(config.dataRoot)];
  if (config.execRoot !== config.dataRoot) {
    locks.push(
      await lockRoot(config.execRoot).catch(async (e: unknown) => {
        await locks[0]!.release();
        throw e;
      }),
    );
  }
  await mkdir(paths.snapshots, { recursive: true, mode: 0o700 });
  const db = openStateDatabase(paths.db);
  const content = await openContentStore(paths.content);
  const snapshotter = openSnapshotter({ root: paths.snapshots, db, logger });
  const events = createEventBus();
  const store = new ImageStore(db, content);
  const containersUsing = (imageId: string) =>
    containers.usersOf(imageId).map((c) => ({
      id: c.id,
      running: c.state.status === 'running' || c.state.status === 'paused',
    }));
  const imageDeps: ImageDeps = {
    db,
    content,
    snapshotter,
    unpacker: new UnpackPool(),
    store,
    leases: new Leases(),
    events,
    logger,
    containersUsing,
  };
  const registry = openRegistryClient(config.registry);
  const images = createImageService({
    ...imageDeps,
    registry,
    maxConcurrentDownloads: config.registry.maxConcurrentDownloads,
    maxConcurrentUploads: config.registry.maxConcurrentUploads,
  });
  const lowerDirs = (id: Digest) => lowerDirsOf(imageDeps, id);
  const imageResolver: ImageResolver = {
    resolve: async (name) => {
      const image = await store.load(store.resolve(name));
      return {
        id: image.row.id,
        defaults: image.config.config ?? {},
        lowerDirs: lowerDirs(image.row.id),
      };
    },
    lowerDirs: (id) => Promise.resolve(lowerDirs(id)),
  };
  const host = await readHostFacts();
  // containersUsing above is only called after this line has run.
  const volumes = createVolumeService({ db, root: paths.volumes, events, logger });
  const networks = new NetworkService({
    db,
    dataRoot: config.dataRoot,
    execRoot: config.execRoot,
    events,
    logger,
    defaultBridge: defaultBridgeDevice(config.dataRoot),
  });
  await networks.ensurePredefined();
  const containers: ContainerService = new ContainerService({
    db,
    dataRoot: config.dataRoot,
    execRoot: config.execRoot,
    images: imageResolver,
    events,
    logger,
    host,
    volumes,
    networks: networks.containers,
  });

  const execs = new ExecService({
    containers,
    dataRoot: config.dataRoot,
    execRoot: config.execRoot,
    host,
    events,
    logger,
  });

  const builder = createEngineBuilder(imageDeps, {
    config,
    host,
    logger,
    network: createBuildNetwork(networks, logger),
    pull: (name, platform) => images.pull(name, { platform }),
  });

  // Startup reconcile: whatever a crash left half-done goes now.
  await builder.cleanUp();
  const partialIngests = await content.cleanIngest();
  await containers.reconcile();
  volumes.unmountUnused();
  const gc = await images.collectGarbage();
  if (partialIngests > 0 || gc.blobs > 0 || gc.snapshots > 0) {
    logger.info('startup clean-up', { partialIngests, ...gc });
  }

  return {
    config,
    images,
    containers,
    execs,
    volumes,
    networks,
    events,
    info: () => systemInfo(config, images, containers, host.cgroupV2),
    containerChanges: (ref) => containerChanges(imageDeps, containers, ref),
    commit: (ref, options) => commitContainer(imageDeps, containers, ref, options),
    builder,
    close: async () => {
      await networks.close();
      await registry.close();
      await imageDeps.unpacker.close();
      db.close();
      for (const l of locks) await l.release();
    },
  };
}
