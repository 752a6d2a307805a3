import { VOLUME_LIST_FILTERS, VOLUME_PRUNE_FILTERS, type Engine } from '../engine/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import type { VolumeCreateRequest } from '../volume/index.js';
import { json, noContent } from './replies.js';
import { route, type Route } from './router.js';

/** The `/volumes` endpoints: adapters from HTTP to the volume service. */
export function volumeRoutes(engine: Engine): Route[] {
  const { volumes } = engine;
  return [
    route('GET', '/volumes', (ctx) => {
      const filters = ctx.query.filters(VOLUME_LIST_FILTERS).toMap();
      const list: Api.VolumeListResponse = { Volumes: volumes.list(filters), Warnings: [] };
      return json(200, list);
    }),
    route('POST', '/volumes/create', async (ctx) => {
      const body = createRequest(await ctx.readJson());
      return json(201, (await volumes.create(body)).volume);
    }),
    route('POST', '/volumes/prune', async (ctx) => {
      const filters = ctx.query.filters(VOLUME_PRUNE_FILTERS);
      // API 1.42 made prune leave named volumes alone unless `all` is asked for, as Docker 23 did.
      const anonymousOnly = ctx.apiVersionAtLeast('1.42') && !filters.bool('all', false);
      const rest = new Map([...filters.toMap()].filter(([key]) => key !== 'all'));
      const report: Api.VolumePruneResponse = await volumes.prune({ filters: rest, anonymousOnly });
      return json(200, report);
    }),
    route('GET', '/volumes/{name}', (ctx) => json(200, volumes.inspect(ctx.params.name))),
    route('DELETE', '/volumes/{name}', async (ctx) => {
      await volumes.remove(ctx.params.name, { force: ctx.query.bool('force') });
      return noContent();
    }),
  ];
}

/** The create body (`Api.VolumeCreateRequest`), checked field by field. */
function createRequest(raw: unknown): VolumeCreateRequest {
  const body = (raw ?? {}) as Api.VolumeCreateRequest;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('invalid JSON body for volume create');
  const strings = (field: string, value: unknown): Record<string, string> | undefined => {
    if (value === undefined || value === null) return undefined;
    const ok = typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string');
    if (!ok) throw invalidArgument(`invalid ${field}: want an object of strings`);
    return value as Record<string, string>;
  };
  const driverOpts = strings('DriverOpts', body.DriverOpts);
  const labels = strings('Labels', body.Labels);
  return {
    ...(body.Name ? { name: body.Name } : {}),
    ...(body.Driver ? { driver: body.Driver } : {}),
    ...(driverOpts ? { driverOpts } : {}),
    ...(labels ? { labels } : {}),
  };
}
