import { pipeline, Transform, type Readable } from 'node:stream';
import type { Digest, OperationOptions } from '../kernel/index.js';
import type { Descriptor } from '../image/index.js';
import { errorFromResponse, RegistryError } from './errors.js';
import { repositoryScope } from './scope.js';
import { backoff, isRetryable, send, withEndpoint, type Session } from './session.js';
import type { Endpoint } from './endpoints.js';
import { header, readErrorBody, type HttpResponse } from './transport.js';
import type { BlobUploadOptions } from './types.js';

/**
 * Cross-repository mount (`POST .../blobs/uploads/?mount=&from=`). 201 means
 * the blob is now in this repository; 202 means the registry could not mount
 * (or the token lacks pull on the source) and opened a normal upload, which is
 * cancelled. `fromRepository` is a path on the same registry (`library/busybox`)
 * or a full name with this registry's domain.
 */
export async function mountBlob(
  session: Session,
  domain: string,
  digest: Digest,
  fromRepository: string,
  options: OperationOptions = {},
): Promise<boolean> {
  const { signal } = options;
  const from = fromRepository.startsWith(`${domain}/`) ? fromRepository.slice(domain.length + 1) : fromRepository;
  const scopes = [repositoryScope(session.path, ['pull', 'push']), repositoryScope(from, ['pull'])];
  const query = new URLSearchParams({ mount: digest, from });
  const url = `/v2/${session.path}/blobs/uploads/?${query.toString()}`;
  return withEndpoint(session, async (endpoint) => {
    const res = await send(session, endpoint, {
      method: 'POST',
      url,
      scopes,
      signal,
      headers: { 'Content-Length': '0' },
    });
    if (res.status === 201) {
      await res.body.dump();
      return true;
    }
    if (res.status !== 202) throw uploadError(session, digest, res, await readErrorBody(res));
    await res.body.dump();
    await cancelUpload(session, endpoint, uploadLocation(session, endpoint, res, digest), scopes);
    return false;
  });
}

/**
 * Uploads a blob: POST to open an upload, then one streamed PUT (monolithic)
 * or PATCHes of `chunkSize` bytes and a closing PUT (chunked). A retryable
 * failure starts over with a fresh stream from `open` and a new upload.
 */
export async function uploadBlob(
  session: Session,
  descriptor: Descriptor,
  open: () => Readable,
  options: BlobUploadOptions = {},
): Promise<void> {
  const scopes = [repositoryScope(session.path, ['pull', 'push'])];
  await withEndpoint(session, async (endpoint) => {
    for (let n = 1; ; n++) {
      try {
        return await uploadOnce(session, endpoint, descriptor, open, scopes, options);
      } catch (e) {
        if (n >= session.retry.attempts || !isRetryable(e) || options.signal?.aborted) throw e;
        await backoff(session.retry, n, options.signal);
      }
    }
  });
}

async function uploadOnce(
  session: Session,
  endpoint: Endpoint,
  descriptor: Descriptor,
  open: () => Readable,
  scopes: readonly string[],
  options: BlobUploadOptions,
): Promise<void> {
  const { signal } = options;
  const digest = descriptor.digest;
  const start = await send(session, endpoint, {
    method: 'POST',
    url: `/v2/${session.path}/blobs/uploads/`,
    headers: { 'Content-Length': '0' },
    scopes,
    signal,
  });
  if (start.status !== 202) throw uploadError(session, digest, start, await readErrorBody(start));
  await start.body.dump();
  let location = uploadLocation(session, endpoint, start, digest);
  const source = open();
  try {
    if (options.chunkSize !== undefined && options.chunkSize > 0) {
      location = await patchChunks(session, endpoint, location, source, scopes, options);
      await finishUpload(session, endpoint, location, descriptor, Buffer.alloc(0), scopes, signal);
    } else {
      const body = counted(source, options.onBytes);
      await finishUpload(session, endpoint, location, descriptor, body, scopes, signal);
    }
  } catch (e) {
    source.destroy();
    await cancelUpload(session, endpoint, location, scopes).catch(() => undefined);
    throw e;
  }
}

/** Sends the stream in PATCHes of `chunkSize` bytes, each with its Content-Range; returns the last Location. */
async function patchChunks(
  session: Session,
  endpoint: Endpoint,
  location: string,
  source: Readable,
  scopes: readonly string[],
  options: BlobUploadOptions,
): Promise<string> {
  const size = options.chunkSize!;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let sent = 0;
  const flush = async (bytes: Buffer) => {
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.length),
      // The distribution API's form: inclusive byte offsets, no unit.
      'Content-Range': `${sent}-${sent + bytes.length - 1}`,
    };
    const res = await send(session, endpoint, {
      method: 'PATCH',
      url: location,
      headers,
      body: bytes,
      scopes,
      signal: options.signal,
    });
    if (res.status !== 202) throw uploadError(session, 'chunk', res, await readErrorBody(res));
    await res.body.dump();
    location = uploadLocation(session, endpoint, res, 'chunk');
    sent += bytes.length;
    options.onBytes?.(sent);
  };
  for await (const chunk of source) {
    pending.push(chunk as Buffer);
    pendingBytes += (chunk as Buffer).length;
    while (pendingBytes >= size) {
      const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      await flush(all.subarray(0, size));
      pending = [all.subarray(size)];
      pendingBytes = all.length - size;
    }
  }
  if (pendingBytes > 0) await flush(Buffer.concat(pending));
  return location;
}

async function finishUpload(
  session: Session,
  endpoint: Endpoint,
  location: string,
  descriptor: Descriptor,
  body: Buffer | Readable,
  scopes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', descriptor.digest);
  const length = Buffer.isBuffer(body) ? body.length : descriptor.size;
  const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(length) };
  const res = await send(session, endpoint, { method: 'PUT', url: url.href, headers, body, scopes, signal });
  if (res.status !== 201) {
    const error = uploadError(session, descriptor.digest, res, await readErrorBody(res));
    // A streamed body is not replayed on a 401 (the token expired during the
    // upload); the token is dropped by then, so a fresh attempt can succeed.
    if (res.status === 401 && !Buffer.isBuffer(body)) {
      throw new RegistryError(error.kind, error.message, { code: error.code, status: 401, retryable: true });
    }
    throw error;
  }
  await res.body.dump();
}

async function cancelUpload(session: Session, endpoint: Endpoint, location: string, scopes: readonly string[]) {
  const res = await send(session, endpoint, { method: 'DELETE', url: location, scopes });
  await res.body.dump();
}

/** The absolute upload URL from a Location header (registries may send it relative). */
function uploadLocation(session: Session, endpoint: Endpoint, res: HttpResponse, what: string): string {
  const location = header(res, 'location');
  if (!location) {
    throw new RegistryError('unavailable', `${session.name}: upload of ${what}: the registry gave no upload location`);
  }
  return new URL(location, endpoint.url).href;
}

function uploadError(session: Session, what: string, res: HttpResponse, body: string): RegistryError {
  return errorFromResponse(res.status, body, `${session.name}: upload of ${what}`);
}

/** `source` as it flows into the request, reporting the bytes sent so far. */
function counted(source: Readable, onBytes: ((sent: number) => void) | undefined): Readable {
  if (!onBytes) return source;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      onBytes(sent);
      done(null, chunk);
    },
  });
  // An error in the source destroys the counter, which fails the request.
  pipeline(source, counter, () => undefined);
  return counter;
}
