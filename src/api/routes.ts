import type { Engine } from '../engine/index.js';
import { containerRoutes } from './containers.js';
import { containerStatsRoutes } from './container-stats.js';
import { execRoutes } from './exec.js';
import { imageRoutes } from './images.js';
import type { Route } from './router.js';
import type { VersionInfo } from './server.js';
import { systemRoutes } from './system.js';
import { engineSystemRoutes } from './system-engine.js';

/** Every endpoint berthd serves. */
export function allRoutes(engine: Engine, version: VersionInfo): Route[] {
  return [
    ...systemRoutes(version),
    ...engineSystemRoutes(engine),
    ...imageRoutes(engine),
    ...containerRoutes(engine),
    ...containerStatsRoutes(engine),
    ...execRoutes(engine),
  ];
}
