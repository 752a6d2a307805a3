import { BerthError, invalidArgument, notFound } from '../kernel/index.js';
import { API_VERSION, MIN_API_VERSION, compareApiVersions } from './api-version.js';
import type { HttpMethod, RequestContext } from './context.js';
import type { Reply } from './replies.js';

export type Handler<P extends string = string> = (ctx: RequestContext<P>) => Promise<Reply> | Reply;

/**
 * One endpoint, declared as data. `path` is the unversioned Docker path;
 * `{param}` matches one or more characters *including slashes*, as every
 * resource route in Docker does (`{name:.*}`), so `/images/{name}/json`
 * matches `/images/localhost:5000/a/b:tag/json`: the literal tail decides
 * the route, the rest is the name.
 */
export interface Route {
  method: HttpMethod;
  path: string;
  handler: Handler;
}

/** The `{param}` names in a path pattern, so `ctx.params.name` is typed. */
export type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

/** Declares a route with its path parameters typed from the pattern. */
export function route<P extends string>(method: HttpMethod, path: P, handler: Handler<ParamNames<P>>): Route {
  return { method, path, handler };
}

interface RouteMatch {
  route: Route;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** The version from the `/vX.Y` prefix, or ours when there is none. */
  apiVersion: string;
}

export interface Router {
  /**
   * Finds the route for a request. `path` is the decoded path without the
   * query string. Throws not-found ("page not found") for an unknown method
   * and path, and invalid-argument for a version prefix out of range.
   */
  match(method: string, path: string): RouteMatch;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
  literalLength: number;
}

const PARAM_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Docker's prefix: `/v` then digits and dots (`/v{version:[0-9.]+}`). */
const VERSION_PREFIX_RE = /^\/v([0-9.]+)(\/.*)$/;

export function createRouter(routes: readonly Route[]): Router {
  const byMethod = new Map<string, CompiledRoute[]>();
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new BerthError('internal', `route declared twice: ${key}`);
    seen.add(key);
    const list = byMethod.get(r.method) ?? [];
    list.push(compileRoute(r));
    byMethod.set(r.method, list);
  }
  for (const list of byMethod.values()) list.sort(bySpecificity);

  return {
    match(method, path) {
      const { apiVersion, rest } = splitVersionPrefix(path);
      for (const compiled of byMethod.get(method) ?? []) {
        const m = compiled.regex.exec(rest);
        if (!m) continue;
        checkApiVersion(apiVersion);
        const params: Record<string, string> = {};
        compiled.names.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
        return { route: compiled.route, params, apiVersion: apiVersion ?? API_VERSION };
      }
      throw notFound('page not found');
    },
  };
}

function compileRoute(r: Route): CompiledRoute {
  if (!r.path.startsWith('/')) throw new BerthError('internal', `route path must start with /: ${r.path}`);
  const names: string[] = [];
  let source = '';
  let literalLength = 0;
  let last = 0;
  for (const m of r.path.matchAll(PARAM_RE)) {
    const literal = r.path.slice(last, m.index);
    source += escapeRegExp(literal) + '(.+)';
    literalLength += literal.length;
    names.push(m[1] as string);
    last = m.index + m[0].length;
  }
  const tail = r.path.slice(last);
  if (/[{}]/.test(r.path.replace(PARAM_RE, ''))) throw new BerthError('internal', `bad route pattern: ${r.path}`);
  return {
    route: r,
    regex: new RegExp(`^${source}${escapeRegExp(tail)}$`),
    names,
    literalLength: literalLength + tail.length,
  };
}

/**
 * Literal paths win over patterns (`/images/json` before `/images/{name}/json`),
 * then the longer literal text (`/a/{x}/b` before `/a/{x}`); ties keep
 * declaration order. Docker gets the same effect from registration order.
 */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  return a.names.length - b.names.length || b.literalLength - a.literalLength;
}

function splitVersionPrefix(path: string): { apiVersion: string | undefined; rest: string } {
  const m = VERSION_PREFIX_RE.exec(path);
  if (!m) return { apiVersion: undefined, rest: path };
  return { apiVersion: m[1], rest: m[2] as string };
}

/** Docker's wording (moby `versionUnsupportedError`), a 400 like there. */
function checkApiVersion(version: string | undefined): void {
  if (version === undefined) return;
  if (compareApiVersions(version, MIN_API_VERSION) < 0) {
    throw invalidArgument(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  if (compareApiVersions(version, API_VERSION) > 0) {
    throw invalidArgument(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
