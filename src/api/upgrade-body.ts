import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { invalidArgument } from '../kernel/index.js';

/** Attach and exec-start bodies are a few hundred bytes of JSON. */
const MAX_UPGRADE_BODY = 1024 * 1024;

/**
 * Separates the body of an upgrade request from what follows it. Node stops
 * parsing HTTP at the headers of an `Upgrade` request, so the body (exec
 * start sends `{"Detach":false,"Tty":false}` with the upgrade) arrives in
 * `head` and on the socket together with the first stdin bytes; the body is
 * the first Content-Length bytes, the rest is stdin.
 */
export async function readUpgradeBody(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  signal: AbortSignal,
): Promise<{ body: Buffer; rest: Buffer }> {
  if (req.headers['transfer-encoding'] !== undefined) {
    throw invalidArgument('a chunked request body cannot come with Upgrade; send Content-Length');
  }
  const length = Number(req.headers['content-length'] ?? '0');
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_UPGRADE_BODY) {
    throw invalidArgument(`invalid Content-Length for an upgrade request: ${req.headers['content-length']}`);
  }
  let buffered = head;
  while (buffered.length < length) {
    const chunk: unknown = socket.read();
    if (chunk instanceof Buffer) {
      buffered = Buffer.concat([buffered, chunk]);
      continue;
    }
    if (socket.readableEnded) throw invalidArgument('request body ended early');
    await once(socket, 'readable', { signal });
  }
  return { body: buffered.subarray(0, length), rest: buffered.subarray(length) };
}
