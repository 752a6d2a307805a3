import { parseChallenges, type Challenge } from './challenge.js';
import { RegistryError } from './errors.js';
import { scopeKey } from './scope.js';
import { basicAuthorization, fetchToken, type Token } from './token.js';
import type { HttpResponse, Transport } from './transport.js';
import type { Credentials } from './types.js';

/**
 * The authorization of one client identity on one registry endpoint. It
 * learns the registry's challenge from the first 401 and afterwards
 * authorizes requests up front (no 401 round trip per request), caching
 * bearer tokens per scope set until they expire. Concurrent requests for the
 * same scopes share one token fetch.
 */
export class Authenticator {
  private challenge?: Challenge;
  private readonly tokens = new Map<string, Promise<Token>>();

  constructor(
    private readonly transport: Transport,
    private readonly credentials: Credentials | undefined,
  ) {}

  /** The `Authorization` value for a request that needs `scopes`; undefined when none is known to be needed. */
  async authorization(scopes: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    const creds = this.credentials;
    if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
    const challenge = this.challenge;
    if (challenge?.scheme === 'basic') {
      return creds?.username ? basicAuthorization(creds.username, creds.password ?? '') : undefined;
    }
    if (challenge?.scheme === 'bearer') return `Bearer ${(await this.token(challenge, scopes, signal)).token}`;
    return undefined;
  }

  /**
   * Learns from a 401 answer to a request sent with `sent` as its
   * Authorization. True when trying again may succeed: the challenge is new,
   * or a bearer token was refused (it may have expired or lacked a scope, so
   * it is dropped from the cache).
   */
  unauthorized(res: HttpResponse, scopes: readonly string[], sent: string | undefined): boolean {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    const chosen = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (!chosen || this.credentials?.registryToken) return false;
    const known = this.challenge;
    this.challenge = chosen;
    if (chosen.scheme === 'bearer') {
      // Only a token that was sent and refused is dropped: requests that raced
      // the first challenge share the token the first of them fetches.
      if (sent !== undefined) this.tokens.delete(scopeKey(scopes));
      return true;
    }
    return known?.scheme !== 'basic' && this.credentials?.username !== undefined;
  }

  private async token(challenge: Challenge, scopes: readonly string[], signal?: AbortSignal): Promise<Token> {
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached) {
      const token = await raceSignal(cached, signal).catch(() => undefined);
      if (token && token.expiresAt > Date.now()) return token;
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
    }
    let pending = this.tokens.get(key);
    if (!pending) {
      const realm = challenge.params.realm;
      if (!realm)
        throw new RegistryError(
          'unauthorized',
          'unauthorized: the registry asks for a bearer token but names no realm',
        );
      // Shared by every request waiting for these scopes, so it is not tied to one caller's signal.
      pending = fetchToken(this.transport, {
        realm,
        service: challenge.params.service,
        scopes: key === '' ? [] : key.split(' '),
        credentials: this.credentials,
      });
      this.tokens.set(key, pending);
      const mine = pending;
      pending.catch(() => {
        if (this.tokens.get(key) === mine) this.tokens.delete(key);
      });
    }
    return raceSignal(pending, signal);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
