import { join } from 'node:path';

/** Daemon configuration, defaults applied in one place (DESIGN.md §2). */
export interface EngineConfig {
  dataRoot: string;
  execRoot: string;
  /** Registry access: plain-HTTP hosts, docker.io mirrors, per-registry CA directories, transfer parallelism. */
  registry: RegistryConfig;
}

export interface RegistryConfig {
  insecureRegistries: string[];
  mirrors: string[];
  /** Searched in order for `<host[:port]>/ca.crt` (Docker's certs.d layout). */
  certsDirs: string[];
  maxConcurrentDownloads: number;
  maxConcurrentUploads: number;
}

/** Docker's defaults are 3 downloads and 5 uploads at a time. */
const DEFAULT_REGISTRY_CONFIG: RegistryConfig = {
  insecureRegistries: [],
  mirrors: [],
  certsDirs: ['/etc/berth/certs.d', '/etc/docker/certs.d'],
  maxConcurrentDownloads: 3,
  maxConcurrentUploads: 5,
};

export const DEFAULT_DATA_ROOT = '/var/lib/berth';
export const DEFAULT_EXEC_ROOT = '/run/berth';

/** What callers may leave out: everything, and any single registry setting. */
export type EngineConfigInput = Partial<Omit<EngineConfig, 'registry'>> & { registry?: Partial<RegistryConfig> };

export function withDefaults(partial: EngineConfigInput): EngineConfig {
  return {
    dataRoot: partial.dataRoot ?? DEFAULT_DATA_ROOT,
    execRoot: partial.execRoot ?? DEFAULT_EXEC_ROOT,
    registry: { ...DEFAULT_REGISTRY_CONFIG, ...partial.registry },
  };
}

/** Where each store lives under the data root (DESIGN.md §3). */
export function layout(config: EngineConfig): {
  db: string;
  content: string;
  snapshots: string;
  volumes: string;
  builder: string;
} {
  return {
    db: join(config.dataRoot, 'berth.db'),
    content: join(config.dataRoot, 'content'),
    snapshots: join(config.dataRoot, 'snapshots'),
    volumes: join(config.dataRoot, 'volumes'),
    builder: join(config.dataRoot, 'builder'),
  };
}
