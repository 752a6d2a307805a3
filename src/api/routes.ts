import type { Engine } from '../engine/index.js';
import { buildRoutes } from './build.js';
import { containerRoutes } from './containers.js';
import { containerStatsRoutes } from './container-stats.js';
import { distributionRoutes } from './distribution.js';
import { execRoutes } from './exec.js';
import { imageRoutes } from './images.js';
import { networkRoutes } from './networks.js';
import type { Route } from './router.js';
import type { VersionInfo } from './server.js';
import { systemRoutes } from './system.js';
import { engineSystemRoutes } from './system-engine.js';
import { volumeRoutes } from './volumes.js';

/** Every endpoint berthd serves. */
export function allRoutes(engine: Engine, version: VersionInfo): Route[] {
  return [
    ...systemRoutes(version),
    ...engineSystemRoutes(engine),
    ...imageRoutes(engine),
    ...buildRoutes(engine),
    ...networkRoutes(engine),
    ...distributionRoutes(engine),
    ...containerRoutes(engine),
    ...containerStatsRoutes(engine),
    ...execRoutes(engine),
    ...volumeRoutes(engine),
  ];
}
