import { join } from 'node:path';
import { initLayer } from './init-layer.js';

/** Where a container's files live (DESIGN.md §3) and the runtime's shared directories. */
export interface ContainerPaths {
  /** `<data-root>/containers/<id>`: bundle, writable layer, log, etc files. */
  dir(id: string): string;
  log(id: string): string;
  /** Removed containers' directories, renamed here to be deleted after the removal is reported. */
  readonly trash: string;
  /** The init layer every container has under its writable layer (init-layer.ts), made on first use. */
  initLayer(): Promise<string>;
  /** `runc --root`. */
  readonly runcRoot: string;
  /** conmon writes `<id>` here when a container exits. */
  readonly exitDir: string;
  /** conmon's short attach socket links. */
  readonly socketDir: string;
}

export function containerPaths(dataRoot: string, execRoot: string): ContainerPaths {
  const containers = join(dataRoot, 'containers');
  return {
    dir: (id) => join(containers, id),
    log: (id) => join(containers, id, 'container.log'),
    trash: join(dataRoot, 'containers-removed'),
    initLayer: () => initLayer(dataRoot),
    runcRoot: join(execRoot, 'runc'),
    exitDir: join(execRoot, 'exits'),
    socketDir: join(execRoot, 's'),
  };
}
