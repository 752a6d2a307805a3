import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { apiVersionAtLeast } from './api-version.js';

/** The connection a `hijack` handler gets for attach/exec. */
export interface HijackedConnection {
  /** Bytes from the client (stdin): the socket after an upgrade, else the request body. */
  readonly input: Readable;
  /** Bytes to the client; frame them with `encodeFrame` when multiplexed. */
  readonly output: Writable;
  /** True when the client asked for `Upgrade: tcp` and got `101 UPGRADED`. */
  readonly upgraded: boolean;
  /** Aborted when the client goes away or the daemon stops. */
  readonly signal: AbortSignal;
}

const RAW_STREAM = 'application/vnd.docker.raw-stream';
const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

/** Docker names the framed variant only from API 1.42 on; older clients expect raw-stream. */
export function hijackContentType(multiplexed: boolean, apiVersion: string): string {
  return multiplexed && apiVersionAtLeast(apiVersion, '1.42') ? MULTIPLEXED_STREAM : RAW_STREAM;
}

/**
 * Answers an `Upgrade: tcp` request with `101 UPGRADED` on the bare socket
 * and hands the socket to `run` in both directions. `rest` holds bytes the
 * client sent after the request body; they are stdin.
 */
export async function runUpgraded(
  target: { socket: Socket; rest: Buffer; headers: OutgoingHttpHeaders; contentType: string; signal: AbortSignal },
  run: (conn: HijackedConnection) => Promise<void>,
): Promise<void> {
  const { socket } = target;
  if (target.rest.length > 0) socket.unshift(target.rest);
  const lines = ['HTTP/1.1 101 UPGRADED', `Content-Type: ${target.contentType}`, 'Connection: Upgrade', 'Upgrade: tcp'];
  for (const [name, value] of Object.entries(target.headers)) {
    if (value !== undefined && !/^(content-type|connection|upgrade)$/i.test(name))
      lines.push(`${name}: ${String(value)}`);
  }
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  await run({ input: socket, output: socket, upgraded: true, signal: target.signal });
  // Half-close: the client sees end of output and closes its side, after
  // which Node destroys the socket; stdin still unread is discarded.
  socket.end();
  socket.resume();
}

/**
 * The same without an upgrade: a 200 whose body is the output and whose
 * request body is the input (all a plain HTTP exchange can carry).
 */
export async function runOverResponse(
  target: { req: IncomingMessage; res: ServerResponse; contentType: string; signal: AbortSignal },
  run: (conn: HijackedConnection) => Promise<void>,
): Promise<void> {
  const { req, res } = target;
  res.writeHead(200, { 'Content-Type': target.contentType });
  res.flushHeaders();
  await run({ input: req, output: res, upgraded: false, signal: target.signal });
  res.end();
}
