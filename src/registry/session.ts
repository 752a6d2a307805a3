import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, isBerthError } from '../kernel/index.js';
import type { Authenticator } from './auth.js';
import type { Endpoint } from './endpoints.js';
import { isCertificateFailure, networkError, RegistryError } from './errors.js';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The wait before the second try; it doubles for each further one. */
  readonly baseDelayMs: number;
}

/**
 * Everything an operation on one repository needs: where the registry is,
 * how to authorize there, and how often to retry. Built by the client for
 * each `repository()` call; the endpoints and authenticators behind it are
 * the client's and shared.
 */
export interface Session {
  /** `127.0.0.1:5000/library/busybox`, for messages. */
  readonly name: string;
  /** `library/busybox`: the repository path on the registry. */
  readonly path: string;
  readonly transport: Transport;
  readonly retry: RetryPolicy;
  /** The endpoints to try, the one that answered last time first. */
  endpoints(): readonly Endpoint[];
  /** Called when an endpoint answered, so later requests go there first. */
  remember(endpoint: Endpoint): void;
  authenticator(endpoint: Endpoint): Authenticator;
}

export interface SessionRequest extends Omit<HttpRequest, 'url' | 'insecureTls'> {
  /** A path under the endpoint (`/v2/...`) or an absolute URL (an upload Location). */
  url: string;
  /** The token scopes this request needs. */
  scopes: readonly string[];
}

/**
 * Sends a request to `endpoint` with the authorization it needs. On a 401 the
 * challenge is learned and the request sent once more, unless its body is a
 * stream that cannot be replayed (the caller's retry opens a fresh one).
 */
export async function send(session: Session, endpoint: Endpoint, req: SessionRequest): Promise<HttpResponse> {
  const auth = session.authenticator(endpoint);
  const url = new URL(req.url, endpoint.url).href;
  for (let attempt = 0; ; attempt++) {
    let authorization: string | undefined;
    try {
      authorization = await auth.authorization(req.scopes, req.signal);
    } catch (e) {
      throw inRepository(session, networkError(e, 'GET', 'token', req.signal));
    }
    const headers = { ...req.headers, ...(authorization ? { Authorization: authorization } : {}) };
    const res = await session.transport.send({ ...req, url, headers, insecureTls: !endpoint.verifyTls });
    const replayable = req.body === undefined || Buffer.isBuffer(req.body);
    // A 401 is learned from even when the request cannot be replayed, so the caller's fresh attempt gets a new token.
    if (res.status !== 401 || attempt > 0 || !auth.unauthorized(res, req.scopes, authorization) || !replayable) {
      return res;
    }
    await res.body.dump();
  }
}

/** An auth failure, said of the repository it was for. */
function inRepository(session: Session, e: BerthError): BerthError {
  if (!(e instanceof RegistryError)) return e;
  const { code, status, retryable } = e;
  return new RegistryError(e.kind, `${session.name}: ${e.message}`, { code, status, retryable, cause: e });
}

/**
 * Runs `operation` against the session's endpoints in order, moving on only
 * when an endpoint cannot be reached at all (or, for a mirror, fails in any
 * way): Docker's fallback from HTTPS to plain HTTP and from mirrors to the
 * registry itself. The endpoint that answered is remembered.
 */
export async function withEndpoint<T>(
  session: Pick<Session, 'name' | 'endpoints' | 'remember'>,
  operation: (endpoint: Endpoint) => Promise<T>,
): Promise<T> {
  const endpoints = session.endpoints();
  let first: unknown;
  for (const [i, endpoint] of endpoints.entries()) {
    try {
      const result = await operation(endpoint);
      session.remember(endpoint);
      return result;
    } catch (e) {
      if (isBerthError(e, 'canceled')) throw e;
      if (i === endpoints.length - 1 || !canFallBack(e, endpoint))
        throw first === undefined ? e : moreTelling(first, e);
      // Only the registry's own HTTPS failure can explain its HTTP fallback's; a mirror's cannot.
      if (!endpoint.mirror) first ??= e;
    }
  }
  throw new BerthError('internal', `${session.name}: no registry endpoint to try`);
}

/**
 * Which failure to report when HTTPS failed and the plain-HTTP fallback did
 * too: a certificate problem on HTTPS, or any HTTPS failure when plain HTTP
 * got a 400 (a TLS-only server answers plain HTTP so), explains more.
 */
function moreTelling(https: unknown, http: unknown): unknown {
  if (isCertificateFailure(https)) return https;
  if (http instanceof RegistryError && http.status === 400) return https;
  return http;
}

function canFallBack(e: unknown, endpoint: Endpoint): boolean {
  if (endpoint.mirror) return true;
  return e instanceof RegistryError && e.kind === 'unavailable' && e.status === undefined;
}

/**
 * Runs `attempt` up to `policy.attempts` times while it fails with a
 * retryable error (a 5xx, 429, a connection that broke), waiting
 * exponentially longer between tries.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= policy.attempts || !isRetryable(e) || signal?.aborted) throw e;
      await backoff(policy, n, signal);
    }
  }
}

export function isRetryable(e: unknown): boolean {
  return e instanceof RegistryError && e.retryable;
}

export async function backoff(policy: RetryPolicy, failures: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(policy.baseDelayMs * 2 ** (failures - 1), undefined, { signal });
  } catch (e) {
    throw new BerthError('canceled', 'canceled while waiting to retry', { cause: e });
  }
}
