import { join } from 'node:path';

/** Daemon configuration, defaults applied in one place (DESIGN.md §2). */
export interface EngineConfig {
  dataRoot: string;
  execRoot: string;
}

export const DEFAULT_DATA_ROOT = '/var/lib/berth';
export const DEFAULT_EXEC_ROOT = '/run/berth';

export function withDefaults(partial: Partial<EngineConfig>): EngineConfig {
  return { dataRoot: partial.dataRoot ?? DEFAULT_DATA_ROOT, execRoot: partial.execRoot ?? DEFAULT_EXEC_ROOT };
}

/** Where each store lives under the data root (DESIGN.md §3). */
export function layout(config: EngineConfig): { db: string; content: string; snapshots: string } {
  return {
    db: join(config.dataRoot, 'berth.db'),
    content: join(config.dataRoot, 'content'),
    snapshots: join(config.dataRoot, 'snapshots'),
  };
}
