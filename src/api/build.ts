import type { BuildRequest } from '../build/index.js';
import type { Engine } from '../engine/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { Query } from './params.js';
import { json, jsonLines } from './replies.js';
import { route, type Route } from './router.js';

/** `POST /build` and `/build/prune`: adapters from HTTP to the builder. */
export function buildRoutes(engine: Engine): Route[] {
  return [
    route('POST', '/build', (ctx) => {
      const request = buildRequest(ctx.query);
      return jsonLines(async (out) => {
        await engine.builder.build(
          ctx.body,
          request,
          { stream: (text) => out.stream(text), aux: (value) => out.aux(value) },
          { signal: ctx.signal },
        );
      });
    }),
    route('POST', '/build/prune', async () => json(200, await engine.builder.prune())),
  ];
}

/** The query of `POST /build`, as the swagger names it. */
function buildRequest(q: Query): BuildRequest {
  return {
    dockerfile: q.string('dockerfile') || undefined,
    tags: q.strings('t').filter((t) => t !== ''),
    buildArgs: stringMap(q.json('buildargs'), 'buildargs', true),
    target: q.string('target') || undefined,
    noCache: q.bool('nocache'),
    pull: q.bool('pull'),
    labels: stringMap(q.json('labels'), 'labels', false) as Record<string, string>,
    networkMode: q.string('networkmode') || undefined,
    quiet: q.bool('q'),
    cacheFrom: stringList(q.json('cachefrom')),
    platform: q.string('platform') || undefined,
    remote: q.string('remote') || undefined,
    // Step containers are always removed (`rm`, `forcerm`): berth keeps none.
  };
}

function stringMap(v: unknown, name: string, nullable: boolean): Record<string, string | null> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidArgument(`${name} must be a JSON object`);
  const out: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value === 'string' || (nullable && value === null)) out[k] = value;
    else throw invalidArgument(`${name}: the value of ${k} must be a string`);
  }
  return out;
}

function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw invalidArgument('cachefrom must be a JSON array of strings');
  }
  return v;
}
