import { createHash, createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small bearer-token server, as Docker Hub's auth.docker.io works: it checks
 * basic credentials (or lets anonymous clients pull), and signs a JWT that
 * grants the requested `scope`s with the key whose certificate the registry
 * trusts (`auth.token.rootcertbundle`).
 */
export interface TokenServer {
  readonly realm: string;
  /** Every token request, in order, so tests can check the scopes a client asked for. */
  readonly requests: TokenRequest[];
  close(): Promise<void>;
}

export interface TokenRequest {
  method: 'GET' | 'POST';
  /** The user the request authenticated as; absent when anonymous. */
  user?: string;
  scopes: string[];
  grantType?: string;
}

export interface TokenServerOptions {
  keyFile: string;
  certFile: string;
  service: string;
  issuer: string;
  username: string;
  password: string;
  /** Grant `pull` to clients without credentials. */
  anonymousPull: boolean;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(await readFile(options.keyFile));
  const kid = libtrustKeyID(
    new X509Certificate(await readFile(options.certFile)).publicKey.export({ type: 'spki', format: 'der' }),
  );
  const requests: TokenRequest[] = [];
  const refreshTokens = new Map<string, string>();

  const issue = (user: string | undefined, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: options.issuer,
      sub: user ?? '',
      aud: options.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access: scopes.map(parseScope).flatMap((a) => (a ? [grant(a, user, options.anonymousPull)] : [])),
    };
    const header = { typ: 'JWT', alg: 'RS256', kid };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    return `${signingInput}.${signature.toString('base64url')}`;
  };
  const offline = (user: string) => {
    const token = randomBytes(16).toString('hex');
    refreshTokens.set(token, user);
    return token;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://token');
    if (req.method === 'GET') {
      const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
      const user = basicUser(req.headers.authorization, options);
      if (user === null) return deny(res);
      requests.push({ method: 'GET', user, scopes });
      const refresh = user !== undefined && url.searchParams.get('offline_token') === 'true';
      return answer(res, issue(user, scopes), refresh && user ? offline(user) : undefined);
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grantType = form.get('grant_type') ?? '';
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      let user: string | undefined;
      if (grantType === 'password') {
        if (form.get('username') !== options.username || form.get('password') !== options.password) return deny(res);
        user = options.username;
      } else if (grantType === 'refresh_token') {
        user = refreshTokens.get(form.get('refresh_token') ?? '');
        if (user === undefined) return deny(res);
      } else {
        return deny(res, 400);
      }
      requests.push({ method: 'POST', user, scopes, grantType });
      const refresh = form.get('access_type') === 'offline' ? offline(user) : undefined;
      return answer(res, issue(user, scopes), refresh);
    }
    res.writeHead(405).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `user` when the basic credentials are right, `undefined` when there are none, `null` when they are wrong. */
function basicUser(header: string | undefined, options: TokenServerOptions): string | undefined | null {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return user === options.username && decoded.slice(colon + 1) === options.password ? user : null;
}

function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') };
}

function grant(access: Access, user: string | undefined, anonymousPull: boolean): Access {
  if (user !== undefined) return access;
  return { ...access, actions: anonymousPull ? access.actions.filter((a) => a === 'pull') : [] };
}

function answer(res: ServerResponse, token: string, refreshToken: string | undefined): void {
  const body = {
    token,
    access_token: token,
    expires_in: 300,
    issued_at: new Date().toISOString(),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
  };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function deny(res: ServerResponse, status = 401): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/**
 * The key ID docker/libtrust derives from a public key, which the registry
 * matches against the keys of `rootcertbundle` when a token names its key by
 * `kid`: sha256 of the DER SubjectPublicKeyInfo, first 240 bits, base32,
 * in twelve groups of four joined by colons.
 */
function libtrustKeyID(spki: Buffer): string {
  const hash = createHash('sha256').update(spki).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of hash) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join(':');
}
