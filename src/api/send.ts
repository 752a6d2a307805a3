import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Logger } from '../kernel/index.js';
import { errorBody, toErrorReply, type ErrorReply } from './errors.js';
import { hijackContentType, runOverResponse, runUpgraded } from './hijack.js';
import type { Reply, ReplyHeaders } from './replies.js';
import { openJsonLines, sendBinary } from './streams.js';

/** One request as the server sees it, whether it arrived plainly or as an upgrade. */
export interface Exchange {
  req: IncomingMessage;
  /** For an upgrade, not bound to the socket until a plain reply needs it. */
  res: ServerResponse;
  logger: Logger;
  signal: AbortSignal;
  /** The request body: the request itself, or for an upgrade what came with it. */
  body(): Promise<Readable>;
  upgrade?: { socket: Socket; rest: Buffer; hijacked: boolean };
}

type ReplyOf<K extends Reply['kind']> = Reply & { kind: K };

export async function sendReply(ex: Exchange, reply: Reply, apiVersion: string): Promise<void> {
  if (reply.kind === 'hijack') return sendHijack(ex, reply, apiVersion);
  bindUpgradeSocket(ex);
  const { res } = ex;
  switch (reply.kind) {
    case 'json':
      return writeWhole(
        res,
        reply.status,
        'application/json',
        JSON.stringify(reply.body ?? null) + '\n',
        reply.headers,
      );
    case 'text':
      return writeWhole(res, reply.status, reply.contentType, reply.body, reply.headers);
    case 'empty':
      res.writeHead(reply.status, reply.headers);
      res.end();
      return;
    case 'json-lines':
      return sendJsonLines(ex, reply);
    case 'binary':
      return sendBinaryReply(ex, reply);
  }
}

/**
 * Answers with `{"message": ...}` and the status from `errors.ts`, or, when
 * the response is already under way, cuts the connection: a status cannot
 * be taken back, and a truncated stream is the honest signal.
 */
export function sendError(ex: Exchange, e: unknown): void {
  const reply = toErrorReply(e);
  logFailure(ex, e, reply);
  if (ex.upgrade?.hijacked) {
    ex.upgrade.socket.destroy();
    return;
  }
  if (ex.res.headersSent) {
    ex.res.destroy();
    return;
  }
  bindUpgradeSocket(ex);
  const { res } = ex;
  // An unread request body would otherwise be drained to keep the
  // connection alive, e.g. all of a too-large upload.
  if (!ex.req.complete) res.setHeader('Connection', 'close');
  if (reply.status === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  writeWhole(res, reply.status, 'application/json', errorBody(reply.message));
}

function writeWhole(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers?: ReplyHeaders,
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function sendJsonLines(ex: Exchange, reply: ReplyOf<'json-lines'>): Promise<void> {
  const out = openJsonLines(ex.res, { flushHeaders: reply.flushHeaders });
  try {
    await reply.run(out);
  } catch (e) {
    if (!out.started) throw e;
    const failure = toErrorReply(e);
    logFailure(ex, e, failure);
    out.fail(failure.message);
  }
  if (!out.started) ex.res.writeHead(200, { 'Content-Type': 'application/json' });
  ex.res.end();
}

async function sendBinaryReply(ex: Exchange, reply: ReplyOf<'binary'>): Promise<void> {
  try {
    await sendBinary(ex.res, reply, ex.signal);
  } catch (e) {
    if (!ex.res.headersSent) throw e;
    logFailure(ex, e, toErrorReply(e));
    ex.res.destroy();
  }
}

async function sendHijack(ex: Exchange, reply: ReplyOf<'hijack'>, apiVersion: string): Promise<void> {
  const contentType = hijackContentType(reply.multiplexed, apiVersion);
  const { req, res, signal, upgrade } = ex;
  if (!upgrade) return runOverResponse({ req, res, contentType, signal }, reply.run);
  upgrade.hijacked = true;
  await runUpgraded(
    { socket: upgrade.socket, rest: upgrade.rest, headers: res.getHeaders(), contentType, signal },
    reply.run,
  );
}

/**
 * An upgrade request answered with a plain reply (a 404 for an unknown
 * container, say) gets an ordinary HTTP response on its socket, then the
 * connection closes: the client asked to leave HTTP, so it is not reused.
 */
function bindUpgradeSocket(ex: Exchange): void {
  const { upgrade, res } = ex;
  if (!upgrade || res.socket) return;
  res.shouldKeepAlive = false;
  res.assignSocket(upgrade.socket);
  res.once('finish', () => {
    upgrade.socket.end();
    upgrade.socket.resume();
  });
}

function logFailure(ex: Exchange, e: unknown, reply: ErrorReply): void {
  const where = `${ex.req.method ?? ''} ${ex.req.url ?? ''}`;
  if (reply.serverFault && !ex.signal.aborted) {
    ex.logger.error(`${where}: ${reply.message}`, { stack: e instanceof Error ? e.stack : undefined });
  } else {
    ex.logger.debug(`${where}: ${reply.status} ${reply.message}`);
  }
}
