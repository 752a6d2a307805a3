import { Readable } from 'node:stream';
import type { BerthError } from '../kernel/index.js';
import type { Digest, OperationOptions } from '../kernel/index.js';
import type { Descriptor } from '../image/index.js';
import { errorFromResponse, networkError, RegistryError } from './errors.js';
import { repositoryScope } from './scope.js';
import { backoff, isRetryable, send, withEndpoint, withRetry, type Session } from './session.js';
import { header, readErrorBody, type HttpResponse } from './transport.js';
import type { BlobReadOptions } from './types.js';

/** HEAD on the blob: 200 is there, 404 is not; anything else is an error. */
export async function hasBlob(session: Session, digest: Digest, options: OperationOptions = {}): Promise<boolean> {
  const { signal } = options;
  const scopes = [repositoryScope(session.path, ['pull'])];
  const url = `/v2/${session.path}/blobs/${digest}`;
  return withEndpoint(session, (endpoint) =>
    withRetry(session.retry, signal, async () => {
      const res = await send(session, endpoint, { method: 'HEAD', url, scopes, signal, followRedirects: true });
      await res.body.dump();
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      throw errorFromResponse(res.status, '', `${session.name}@${digest}`);
    }),
  );
}

/**
 * The blob's bytes as a stream that ends after exactly `descriptor.size`
 * bytes. A body that breaks or ends short is resumed from where it stopped
 * with a `Range` request (a server that ignores Range and sends everything
 * again has the part already delivered skipped); each failure without
 * progress counts towards the retry limit, with exponential backoff between.
 * Destroying the stream aborts the transfer.
 */
export function openBlob(session: Session, descriptor: Descriptor, options: BlobReadOptions = {}): Readable {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const stream = Readable.from(blobChunks(session, descriptor, { ...options, signal }), { objectMode: false });
  stream.once('close', () => stop.abort());
  return stream;
}

async function* blobChunks(session: Session, descriptor: Descriptor, options: BlobReadOptions): AsyncGenerator<Buffer> {
  const { signal, onBytes } = options;
  const what = `${session.name}@${descriptor.digest}`;
  let received = 0;
  let failures = 0;
  while (received < descriptor.size || (received === 0 && descriptor.size === 0)) {
    const before = received;
    let res: HttpResponse | undefined;
    try {
      res = await requestBlob(session, descriptor.digest, received, signal);
      let skip = bytesToSkip(res, received, what);
      for await (const chunk of res.body) {
        let b = chunk as Buffer;
        if (skip > 0) {
          const dropped = Math.min(skip, b.length);
          skip -= dropped;
          b = b.subarray(dropped);
          if (b.length === 0) continue;
        }
        if (received + b.length > descriptor.size) throw tooLong(what, descriptor.size);
        received += b.length;
        yield b;
        onBytes?.(received);
      }
      if (descriptor.size === 0) return;
      if (received < descriptor.size) throw shortBody(what, received, descriptor.size);
    } catch (e) {
      res?.body.destroy();
      const error = networkError(e, 'GET', what, signal);
      if (signal?.aborted || !isRetryable(error)) throw error;
      failures = received > before ? 1 : failures + 1;
      if (failures >= session.retry.attempts) throw error;
      await backoff(session.retry, failures, signal);
    }
  }
}

async function requestBlob(
  session: Session,
  digest: Digest,
  from: number,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const scopes = [repositoryScope(session.path, ['pull'])];
  const url = `/v2/${session.path}/blobs/${digest}`;
  const headers: Record<string, string> = from > 0 ? { Range: `bytes=${from}-` } : {};
  return withEndpoint(session, async (endpoint) => {
    const res = await send(session, endpoint, { method: 'GET', url, headers, scopes, signal, followRedirects: true });
    if (res.status === 200 || res.status === 206) return res;
    throw errorFromResponse(res.status, await readErrorBody(res), `${session.name}@${digest}`);
  });
}

/** How much of the answer was already delivered: all of `received` for a 200, the overlap for a 206. */
function bytesToSkip(res: HttpResponse, received: number, what: string): number {
  if (res.status === 200) return received;
  const start = Number(/^bytes (\d+)-/.exec(header(res, 'content-range') ?? '')?.[1] ?? NaN);
  if (!(start <= received)) {
    res.body.destroy();
    throw new RegistryError(
      'unavailable',
      `${what}: the registry resumed at the wrong offset (${start}, wanted ${received})`,
    );
  }
  return received - start;
}

const SHORT_BODY = 'SHORT_BODY';

function shortBody(what: string, received: number, size: number): RegistryError {
  return new RegistryError('unavailable', `${what}: the connection ended after ${received} of ${size} bytes`, {
    code: SHORT_BODY,
    retryable: true,
  });
}

function tooLong(what: string, size: number): BerthError {
  return new RegistryError(
    'failed-precondition',
    `${what}: the registry sent more than the ${size} bytes the descriptor gives`,
  );
}
