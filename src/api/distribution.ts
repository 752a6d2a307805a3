import type { Engine } from '../engine/index.js';
import type { Credentials } from '../registry/index.js';
import { isRecord } from './filters.js';
import type { RequestContext } from './context.js';
import type { RegistryAuth } from './params.js';
import { json, jsonLines, type Reply } from './replies.js';
import { route, type Route } from './router.js';

/** A tag may be given apart from the name (`fromImage=busybox&tag=1.36`), or be a digest. */
export function pullName(fromImage: string, tag: string | undefined): string {
  if (!tag) return fromImage;
  return tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/**
 * Credentials from Docker's `AuthConfig`: user and password, or `auth`
 * (base64 of `user:password`, as config.json keeps it), or tokens.
 */
export function credentialsFrom(auth: RegistryAuth | undefined): Credentials | undefined {
  if (!auth) return undefined;
  let { username, password } = auth;
  if (auth.auth && username === undefined && password === undefined) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const credentials: Credentials = {
    ...(username && { username }),
    ...(password && { password }),
    ...(auth.identitytoken && { identityToken: auth.identitytoken }),
    ...(auth.registrytoken && { registryToken: auth.registrytoken }),
  };
  return Object.keys(credentials).length > 0 ? credentials : undefined;
}

/** `POST /images/create?fromImage=`: a pull, as Docker's progress stream. */
export function pullReply(engine: Engine, ctx: RequestContext, fromImage: string): Reply {
  const name = pullName(fromImage, ctx.query.string('tag'));
  return jsonLines((out) =>
    engine.images
      .pull(name, {
        platform: ctx.query.string('platform') || undefined,
        credentials: credentialsFrom(ctx.registryAuth()),
        signal: ctx.signal,
        progress: out.progress,
      })
      .then(() => undefined),
  );
}

/** `/images/{name}/push`, `/auth` and `/distribution/{name}/json`: adapters to the image service. */
export function distributionRoutes(engine: Engine): Route[] {
  const { images } = engine;
  return [
    route('POST', '/images/{name}/push', (ctx) =>
      jsonLines(async (out) => {
        await images.push(ctx.params.name, {
          tag: ctx.query.string('tag') || undefined,
          credentials: credentialsFrom(ctx.registryAuth()),
          signal: ctx.signal,
          progress: out.progress,
          onPushed: (result) => out.write({ progressDetail: {}, aux: result }),
        });
      }),
    ),
    route('POST', '/auth', async (ctx) => {
      const body = await ctx.readJson();
      const auth = isRecord(body) ? authConfig(body) : {};
      const credentials = credentialsFrom(auth) ?? {};
      const server = auth.serveraddress ?? '';
      const { identityToken } = await images.login(server, credentials, { signal: ctx.signal });
      return json(200, { Status: 'Login Succeeded', IdentityToken: identityToken ?? '' });
    }),
    route('GET', '/distribution/{name}/json', async (ctx) =>
      json(
        200,
        await images.inspectDistribution(ctx.params.name, {
          credentials: credentialsFrom(ctx.registryAuth()),
          signal: ctx.signal,
        }),
      ),
    ),
  ];
}

/** The string fields of an `AuthConfig` body. */
function authConfig(body: Record<string, unknown>): RegistryAuth {
  const pick = (k: string): string | undefined => {
    const v = body[k];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return {
    username: pick('username'),
    password: pick('password'),
    auth: pick('auth'),
    serveraddress: pick('serveraddress'),
    identitytoken: pick('identitytoken'),
    registrytoken: pick('registrytoken'),
  };
}
