import type { Engine } from '../engine/index.js';
import type { EngineEvent } from '../events/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { Filters } from './filters.js';
import { json, jsonLines } from './replies.js';
import type { JsonMessage } from './streams.js';
import { route, type Route } from './router.js';

/** `/info`, `/system/df` and `/events`: the engine-wide endpoints. */
export function engineSystemRoutes(engine: Engine): Route[] {
  return [
    route('GET', '/info', async () => json(200, await engine.info())),
    route('GET', '/system/df', async () => {
      const images = await engine.images.list({ all: true, sharedSize: true });
      return json(200, {
        LayersSize: engine.images.layersSize(),
        Images: images.map((i) => ({ ...i, Containers: 0 })),
        Containers: [],
        Volumes: await engine.volumes.diskUsage(),
        BuildCache: [],
      });
    }),
    route('GET', '/events', (ctx) => {
      const filters = ctx.query.filters(['type', 'event', 'image', 'container', 'label', 'scope']);
      const since = eventTime(ctx.query.string('since'));
      const until = eventTime(ctx.query.string('until'));
      return jsonLines(
        async (out) => {
          const send = (e: EngineEvent) => {
            if (matchesEvent(e, filters)) out.write(legacyFields(e));
          };
          if (since !== undefined) for (const e of engine.events.recent(since, until)) send(e);
          if (until !== undefined && until <= nowNano()) return;
          const unsubscribe = engine.events.subscribe(send);
          try {
            await new Promise<void>((resolve) => {
              ctx.signal.addEventListener('abort', () => resolve(), { once: true });
              if (until !== undefined) setTimeout(resolve, Number((until - nowNano()) / 1_000_000n)).unref();
            });
          } finally {
            unsubscribe();
          }
        },
        // Docker answers at once; clients wait for the status line before showing anything.
        { flushHeaders: true },
      );
    }),
  ];
}

function nowNano(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** `since`/`until`: Unix seconds with optional fraction, as the docker CLI sends them. */
function eventTime(s: string | undefined): bigint | undefined {
  if (s === undefined || s === '') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) {
    const t = Date.parse(s);
    if (Number.isNaN(t)) throw invalidArgument(`invalid time value: ${s}`);
    return BigInt(t) * 1_000_000n;
  }
  return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function matchesEvent(e: EngineEvent, f: Filters): boolean {
  const any = (key: string, values: string[]) => !f.has(key) || f.get(key).some((v) => values.includes(v));
  const name = e.Actor.Attributes.name ?? '';
  return (
    any('type', [e.Type]) &&
    any('event', [e.Action]) &&
    (!f.has('image') || (e.Type === 'image' && any('image', [e.Actor.ID, name, name.split(':')[0]!]))) &&
    any('scope', [e.scope]) &&
    (!f.has('label') || f.get('label').every((l) => labelMatches(e.Actor.Attributes, l)))
  );
}

function labelMatches(attrs: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  return eq < 0 ? filter in attrs : attrs[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** Docker still sends the pre-1.22 `status`, `id`, `from` fields; old clients read them. */
function legacyFields(e: EngineEvent): JsonMessage & Record<string, unknown> {
  return {
    status: e.Action,
    id: e.Actor.ID,
    ...(e.Type === 'container' ? { from: e.Actor.Attributes.image } : {}),
    ...e,
  };
}
