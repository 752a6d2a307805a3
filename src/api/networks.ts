import { NETWORK_LIST_FILTERS, type Engine } from '../engine/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { NetworkCreateRequest } from '../network/index.js';
import type { Api } from '../spec/index.js';
import { json, noContent } from './replies.js';
import { route, type Route } from './router.js';

interface ConnectBody {
  Container?: string;
  EndpointConfig?: Api.EndpointSettings;
}

/** The `/networks` endpoints: adapters from HTTP to the network service. */
export function networkRoutes(engine: Engine): Route[] {
  const { networks, containers } = engine;
  return [
    route('GET', '/networks', (ctx) => {
      const filters = Object.fromEntries(ctx.query.filters(NETWORK_LIST_FILTERS).toMap());
      return json(200, networks.list(filters));
    }),
    route('GET', '/networks/{id}', (ctx) => json(200, networks.inspect(ctx.params.id))),
    route('POST', '/networks/create', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as NetworkCreateRequest;
      return json(201, await networks.create(body));
    }),
    route('DELETE', '/networks/{id}', async (ctx) => {
      await networks.remove(ctx.params.id);
      return noContent();
    }),
    route('POST', '/networks/prune', async (ctx) => {
      const filters = Object.fromEntries(ctx.query.filters(NETWORK_LIST_FILTERS).toMap());
      return json(200, await networks.prune(filters));
    }),
    route('POST', '/networks/{id}/connect', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as ConnectBody;
      if (!body.Container) throw invalidArgument('container is required');
      await containers.connectNetwork(body.Container, ctx.params.id, body.EndpointConfig);
      return json(200, null);
    }),
    route('POST', '/networks/{id}/disconnect', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as ConnectBody;
      if (!body.Container) throw invalidArgument('container is required');
      await containers.disconnectNetwork(body.Container, ctx.params.id);
      return json(200, null);
    }),
  ];
}
