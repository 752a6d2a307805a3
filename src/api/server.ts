import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { BerthError, invalidArgument, type Logger } from '../kernel/index.js';
import { API_VERSION } from './api-version.js';
import { createContext } from './context.js';
import { createRouter, type Route } from './router.js';
import { sendError, sendReply, type Exchange } from './send.js';
import { readUpgradeBody } from './upgrade-body.js';

/** The daemon's own version, for `Server`, `/version` and logs. */
export interface VersionInfo {
  /** berth's version (package.json). */
  version: string;
  gitCommit: string;
  /** RFC 3339. */
  buildTime: string;
}

export interface ApiServerOptions {
  routes: readonly Route[];
  logger: Logger;
  version: VersionInfo;
}

export interface ApiServer {
  /** The Node server, not yet listening. */
  readonly server: Server;
  /**
   * Stops accepting connections, aborts every in-flight request's signal
   * (they end with "daemon is shutting down"), waits for their handlers to
   * settle, then closes every connection, hijacked ones included.
   */
  close(): Promise<void>;
}

/** Go's default header limit: build sends every credential in `X-Registry-Config`. */
const MAX_HEADER_SIZE = 1024 * 1024;

export function createApiServer(options: ApiServerOptions): ApiServer {
  const router = createRouter(options.routes);
  const { logger } = options;
  const commonHeaders: Record<string, string> = {
    'Api-Version': API_VERSION,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Berth/${options.version.version} (linux)`,
  };
  const inFlight = new Map<Promise<void>, AbortController>();
  const sockets = new Set<Socket>();

  // No request timeout: a `docker load` or build context may upload for longer
  // than Node's default five minutes, and the socket is local.
  const server = createServer({ requestTimeout: 0, maxHeaderSize: MAX_HEADER_SIZE });

  const serve = async (ex: Exchange): Promise<void> => {
    for (const [name, value] of Object.entries(commonHeaders)) ex.res.setHeader(name, value);
    try {
      const { path, search } = parseTarget(ex.req.url ?? '/');
      const match = router.match(ex.req.method ?? '', path);
      const ctx = createContext({
        method: match.route.method,
        path,
        apiVersion: match.apiVersion,
        params: match.params,
        search,
        headers: ex.req.headers,
        body: await ex.body(),
        signal: ex.signal,
        logger,
      });
      await sendReply(ex, await match.route.handler(ctx), ctx.apiVersion);
    } catch (e) {
      sendError(ex, e);
    }
    logger.debug('api request', { method: ex.req.method, url: ex.req.url, status: ex.res.statusCode });
  };

  let closing = false;
  const shutdown = () => new BerthError('unavailable', 'daemon is shutting down');

  const track = (controller: AbortController, ex: Exchange): void => {
    // A request on a kept-alive connection can still arrive while closing.
    if (closing) controller.abort(shutdown());
    const done = serve(ex).catch((e: unknown) => logger.error('api request failed', { error: String(e) }));
    inFlight.set(done, controller);
    void done.finally(() => inFlight.delete(done));
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new BerthError('canceled', 'client disconnected'));
    });
    track(controller, { req, res, logger, signal: controller.signal, body: () => Promise.resolve(req) });
  });

  // Docker clients send `Connection: Upgrade` + `Upgrade: tcp` for attach and
  // exec start; Node hands those over here with the bare socket.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const controller = new AbortController();
    socket.once('close', () => controller.abort(new BerthError('canceled', 'client disconnected')));
    // Node drops its own error listener from an upgraded socket; without one
    // a client resetting mid-attach would crash the daemon.
    socket.on('error', (e) => logger.debug('api upgraded connection error', { error: e.message }));
    const res = new ServerResponse(req);
    const upgrade: { socket: Socket; rest: Buffer; hijacked: boolean } = {
      socket,
      rest: Buffer.alloc(0),
      hijacked: false,
    };
    const body = async (): Promise<Readable> => {
      const read = await readUpgradeBody(req, socket, head, controller.signal);
      upgrade.rest = read.rest;
      return Readable.from([read.body]);
    };
    track(controller, { req, res, logger, signal: controller.signal, body, upgrade });
  });

  return {
    server,
    async close() {
      const closed = server.listening
        ? new Promise<void>((resolve) => server.close(() => resolve()))
        : Promise.resolve();
      closing = true;
      for (const controller of inFlight.values()) controller.abort(shutdown());
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight.keys()]);
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Splits the request target and decodes the path, as Docker matches decoded paths. */
function parseTarget(url: string): { path: string; search: URLSearchParams } {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  try {
    return { path: decodeURIComponent(rawPath), search: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)) };
  } catch (e) {
    throw invalidArgument(`invalid URL escape in ${rawPath}`, e);
  }
}
