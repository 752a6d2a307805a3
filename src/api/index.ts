/**
 * api — the Docker Engine API over HTTP: routing with version prefixes,
 * request parsing, replies (JSON, JSON-lines progress, raw streams,
 * hijacked connections), the error→status table, and the unix socket
 * listener. Handlers are short adapters onto engine services; no engine
 * logic lives here. Contract: `shared/spec/docker-engine-api.yaml`.
 *
 * Writing a handler: declare `route('GET', '/images/{name}/json', async (ctx) =>
 * json(200, await images.inspect(ctx.params.name, { signal: ctx.signal })))`;
 * throw BerthErrors for failures and let `errors.ts` choose the status.
 */
export { startApiServer } from './listen.js';
export type { RunningApiServer, StartApiServerOptions } from './listen.js';
export type { VersionInfo } from './server.js';
export { allRoutes } from './routes.js';
