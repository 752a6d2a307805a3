import type { UpdateRequest } from '../container/index.js';
import type { Engine } from '../engine/index.js';
import { json, jsonLines } from './replies.js';
import { route, type Route } from './router.js';
import type { JsonMessage } from './streams.js';

/** `docker top`, `docker stats` and `docker update`: adapters to the container service. */
export function containerStatsRoutes(engine: Engine): Route[] {
  const { containers } = engine;
  return [
    route('GET', '/containers/{id}/top', async (ctx) =>
      json(200, await containers.top(ctx.params.id, ctx.query.string('ps_args') ?? '')),
    ),
    route('GET', '/containers/{id}/stats', (ctx) => {
      containers.get(ctx.params.id);
      const stream = ctx.query.bool('stream', true);
      const samples = containers.stats(ctx.params.id, {
        stream,
        oneShot: ctx.query.bool('one-shot'),
        signal: ctx.signal,
      });
      return jsonLines(
        async (out) => {
          // Stats objects are not progress messages, but travel the same one-object-per-line stream.
          for await (const s of samples) out.write(s as JsonMessage);
        },
        { flushHeaders: stream },
      );
    }),
    route('POST', '/containers/{id}/update', async (ctx) => {
      const body = ((await ctx.readJson()) ?? {}) as UpdateRequest;
      return json(200, await containers.update(ctx.params.id, body));
    }),
  ];
}
