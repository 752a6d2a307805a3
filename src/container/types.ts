import type { Digest } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import type { ContainerSettings } from '../runtime/index.js';
import type { ContainerMount } from './volume-mounts.js';

/** What a container was created from: stored once, never changed by running it. */
export interface ContainerSpec {
  /** The image reference as the client gave it (`busybox`), shown by `ps`. */
  image: string;
  imageId: Digest;
  /** The image defaults merged with the request, as `inspect` shows `Config`. */
  config: ContainerSettings;
  hostConfig: Api.HostConfig;
  stopTimeout?: number;
  /** Binds, volumes and tmpfs mounts, resolved at create (absent on containers made before volumes). */
  mounts?: ContainerMount[];
}

/** Docker's container states (`State.Status`). */
export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** The runtime state of a container, persisted on every change. */
export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  conmonPid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  /** RFC 3339; Docker's zero time until the first start / exit. */
  startedAt: string;
  finishedAt: string;
  restartCount: number;
  /** Stopped or killed through the API: restart policies leave it alone (Docker's HasBeenManuallyStopped). */
  manuallyStopped: boolean;
  /** Present once a container with a healthcheck has started (Docker's `State.Health`). */
  health?: ContainerHealth;
}

/** One healthcheck probe, as `State.Health.Log` shows it. */
export interface HealthcheckResult {
  /** RFC 3339. */
  Start: string;
  End: string;
  /** -1 when the probe timed out or could not be run. */
  ExitCode: number;
  Output: string;
}

export interface ContainerHealth {
  status: 'starting' | 'healthy' | 'unhealthy';
  failingStreak: number;
  /** The last few results, oldest first. */
  log: HealthcheckResult[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return {
    status: 'created',
    pid: 0,
    conmonPid: 0,
    exitCode: 0,
    error: '',
    oomKilled: false,
    startedAt: ZERO_TIME,
    finishedAt: ZERO_TIME,
    restartCount: 0,
    manuallyStopped: false,
  };
}

/** One container as the service works with it. */
export interface Container {
  id: string;
  name: string;
  created: number;
  spec: ContainerSpec;
  state: ContainerState;
}

/** What the container module needs to know about an image to run it. */
export interface RunnableImage {
  id: Digest;
  /** The image config's `config`: the defaults a container starts from. */
  defaults: ContainerSettings;
  /** Committed layer directories, top layer first. */
  lowerDirs: string[];
}

/** Looks images up for `create`; the engine implements it over the image store. */
export interface ImageResolver {
  /** Throws not-found (`No such image: x:latest`) when absent. */
  resolve(name: string): Promise<RunnableImage>;
  lowerDirs(imageId: Digest): Promise<string[]>;
}
