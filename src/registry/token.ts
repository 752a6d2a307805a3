import { BerthError } from '../kernel/index.js';
import { errorFromResponse } from './errors.js';
import { readErrorBody, readLimited, type Transport } from './transport.js';
import type { Credentials } from './types.js';

/** A bearer token from a token server, with when to stop using it. */
export interface Token {
  token: string;
  /** Epoch milliseconds after which the token is fetched again. */
  expiresAt: number;
  /** An OAuth2 refresh token, when the server issued one (login with offline access). */
  refreshToken?: string;
}

export interface TokenRequest {
  realm: string;
  service?: string;
  scopes: readonly string[];
  credentials?: Credentials;
  /** Ask for a refresh token too (`docker login`). */
  offline?: boolean;
  signal?: AbortSignal;
}

/** The client ID Docker sends to token servers; some servers log or key on it. */
const CLIENT_ID = 'berth';
/** The distribution token spec's default lifetime, and the minimum Docker assumes. */
const MIN_EXPIRES_SECONDS = 60;
const MAX_TOKEN_RESPONSE = 1024 * 1024;

/**
 * Fetches a bearer token as Docker does: with an identity (refresh) token, an
 * OAuth2 POST (`grant_type=refresh_token`); otherwise a GET carrying basic
 * credentials if there are any (anonymous if not). A server that does not
 * speak OAuth2 (404/405 on POST) is asked again with a GET.
 */
export async function fetchToken(transport: Transport, req: TokenRequest): Promise<Token> {
  if (req.credentials?.identityToken) {
    const res = await postToken(transport, req, req.credentials.identityToken);
    if (res) return res;
  }
  const url = new URL(req.realm);
  if (req.service) url.searchParams.set('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  if (req.offline) {
    url.searchParams.set('offline_token', 'true');
    url.searchParams.set('client_id', CLIENT_ID);
  }
  const headers: Record<string, string> = {};
  const { username, password } = req.credentials ?? {};
  if (username) headers.Authorization = basicAuthorization(username, password ?? '');
  const res = await transport.send({ method: 'GET', url: url.href, headers, signal: req.signal });
  return readToken(res, `Get "${url.origin}${url.pathname}"`);
}

async function postToken(transport: Transport, req: TokenRequest, refreshToken: string): Promise<Token | undefined> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
  if (req.service) form.set('service', req.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  if (req.offline) form.set('access_type', 'offline');
  const res = await transport.send({
    method: 'POST',
    url: req.realm,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString()),
    signal: req.signal,
  });
  if ((res.status === 404 || res.status === 405) && req.credentials?.username) {
    await res.body.dump();
    return undefined;
  }
  const token = await readToken(res, `Post "${req.realm}"`);
  // A refresh-token grant keeps the same identity token unless the server rotates it.
  return { ...token, refreshToken: token.refreshToken ?? refreshToken };
}

async function readToken(res: Awaited<ReturnType<Transport['send']>>, context: string): Promise<Token> {
  if (res.status !== 200) throw errorFromResponse(res.status, await readErrorBody(res), context);
  const body = await readLimited(res.body, MAX_TOKEN_RESPONSE);
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  try {
    parsed = JSON.parse(body?.toString() ?? '') as typeof parsed;
  } catch (e) {
    throw new BerthError('unavailable', `${context}: the token server's answer is not JSON`, { cause: e });
  }
  const token = typeof parsed.access_token === 'string' ? parsed.access_token : parsed.token;
  if (typeof token !== 'string' || token === '') {
    throw new BerthError('unavailable', `${context}: the token server's answer has no token`);
  }
  const seconds =
    typeof parsed.expires_in === 'number' ? Math.max(parsed.expires_in, MIN_EXPIRES_SECONDS) : MIN_EXPIRES_SECONDS;
  // Renew a little early so a token never expires between check and use.
  const expiresAt = Date.now() + seconds * 1000 * 0.9;
  const refreshToken = typeof parsed.refresh_token === 'string' ? parsed.refresh_token : undefined;
  return { token, expiresAt, ...(refreshToken ? { refreshToken } : {}) };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
