import type { Engine, ImageFilters } from '../engine/index.js';
import { IMAGE_LIST_FILTERS } from '../engine/index.js';
import { invalidArgument } from '../kernel/index.js';
import type { Filters } from './filters.js';
import { pullReply } from './distribution.js';
import { binary, empty, json, jsonLines } from './replies.js';
import { route, type Route } from './router.js';

function toImageFilters(f: Filters): ImageFilters {
  return Object.fromEntries(f.toMap());
}

/** The `/images` endpoints: adapters from HTTP to the image service. */
export function imageRoutes(engine: Engine): Route[] {
  const { images } = engine;
  return [
    route('GET', '/images/json', async (ctx) => {
      const filters = ctx.query.filters(IMAGE_LIST_FILTERS);
      return json(200, await images.list({ all: ctx.query.bool('all'), filters: toImageFilters(filters) }));
    }),
    route('GET', '/images/{name}/json', async (ctx) => json(200, await images.inspect(ctx.params.name))),
    route('GET', '/images/{name}/history', async (ctx) => json(200, await images.history(ctx.params.name))),
    route('POST', '/images/{name}/tag', (ctx) => {
      const repo = ctx.query.string('repo');
      if (!repo) throw invalidArgument('repository name must have at least one component');
      const tag = ctx.query.string('tag');
      images.tag(ctx.params.name, tag ? `${repo}:${tag}` : repo);
      return empty(201);
    }),
    route('DELETE', '/images/{name}', async (ctx) =>
      json(
        200,
        await images.remove(ctx.params.name, { force: ctx.query.bool('force'), noprune: ctx.query.bool('noprune') }),
      ),
    ),
    route('POST', '/images/prune', async (ctx) => {
      const filters = ctx.query.filters(['dangling', 'label', 'until']);
      const all = !filters.bool('dangling', true);
      const rest = Object.fromEntries([...filters.toMap()].filter(([k]) => k !== 'dangling'));
      return json(200, await images.prune({ all, filters: rest }));
    }),
    route('POST', '/images/create', (ctx) => {
      const fromSrc = ctx.query.string('fromSrc');
      const fromImage = ctx.query.string('fromImage');
      if (fromSrc === undefined && fromImage) return pullReply(engine, ctx, fromImage);
      if (fromSrc === undefined) throw invalidArgument('either fromImage or fromSrc is required');
      if (fromSrc !== '-')
        throw invalidArgument('import from a URL is not supported yet; pass the tarball as the body');
      return jsonLines(async (out) => {
        const id = await images.import(ctx.body, {
          repo: ctx.query.string('repo'),
          tag: ctx.query.string('tag'),
          changes: ctx.query.strings('changes'),
          message: ctx.query.string('message'),
          platform: ctx.query.string('platform'),
          signal: ctx.signal,
          progress: out.progress,
        });
        out.status(id);
      });
    }),
    route('POST', '/images/load', (ctx) => {
      const quiet = ctx.query.bool('quiet');
      return jsonLines(async (out) => {
        const lines = await images.load(ctx.body, { signal: ctx.signal, progress: quiet ? undefined : out.progress });
        for (const line of lines) out.stream(`${line}\n`);
      });
    }),
    route('GET', '/images/get', async (ctx) => {
      const names = ctx.query.strings('names');
      return binary('application/x-tar', (await images.save(names))());
    }),
    route('GET', '/images/{name}/get', async (ctx) =>
      binary('application/x-tar', (await images.save([ctx.params.name]))()),
    ),
  ];
}
