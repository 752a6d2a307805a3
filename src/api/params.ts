import { invalidArgument } from '../kernel/index.js';
import { isRecord, parseFilters, type Filters } from './filters.js';

/** Typed access to a request's query string. */
export interface Query {
  has(name: string): boolean;
  /** The first value, or undefined when absent. */
  string(name: string): string | undefined;
  /** Every value of a repeated parameter (`?platform=a&platform=b`). */
  strings(name: string): string[];
  /**
   * Docker's boolean: `fallback` when absent; false for ``, `0`, `no`,
   * `false`, `none` (any case); true for anything else (`1`, `true`, `True`).
   */
  bool(name: string, fallback?: boolean): boolean;
  /** A base-10 integer, or undefined when absent or empty; invalid-argument otherwise. */
  int(name: string): number | undefined;
  /** Parsed JSON (`buildargs`, `labels`, ...), or undefined when absent or empty. */
  json(name: string): unknown;
  /** The `filters` parameter; keys outside `accepted` are rejected as Docker does. */
  filters(accepted?: readonly string[]): Filters;
}

const FALSE_WORDS = new Set(['', '0', 'no', 'false', 'none']);
const INT_RE = /^[+-]?\d+$/;

export function createQuery(search: URLSearchParams): Query {
  const first = (name: string): string | undefined => search.get(name) ?? undefined;
  return {
    has: (name) => search.has(name),
    string: first,
    strings: (name) => search.getAll(name),
    bool(name, fallback = false) {
      const v = first(name);
      if (v === undefined) return fallback;
      return !FALSE_WORDS.has(v.trim().toLowerCase());
    },
    int(name) {
      const v = first(name);
      if (v === undefined || v === '') return undefined;
      const n = Number(v);
      if (!INT_RE.test(v) || !Number.isSafeInteger(n)) {
        throw invalidArgument(`invalid value for query parameter ${name}: ${JSON.stringify(v)} is not an integer`);
      }
      return n;
    },
    json(name) {
      const v = first(name);
      if (v === undefined || v === '') return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch (e) {
        throw invalidArgument(`invalid JSON in query parameter ${name}: ${(e as Error).message}`, e);
      }
    },
    filters: (accepted) => parseFilters(first('filters'), accepted),
  };
}

/**
 * Registry credentials as clients send them in `X-Registry-Auth`
 * (base64url-encoded JSON; Docker's `AuthConfig` field names).
 */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64 of `username:password`, as in a docker config.json. */
  auth?: string;
  email?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

const AUTH_FIELDS = [
  'username',
  'password',
  'auth',
  'email',
  'serveraddress',
  'identitytoken',
  'registrytoken',
] as const;

/**
 * Decodes an `X-Registry-Auth` value. Like Docker, an undecodable header means
 * no credentials rather than an error: the pull then proceeds anonymously
 * and the registry decides.
 */
export function decodeRegistryAuth(header: string | undefined): RegistryAuth | undefined {
  const parsed = decodeBase64Json(header);
  return parsed === undefined ? undefined : pickAuth(parsed);
}

/**
 * Decodes `X-Registry-Config` (used by build): base64url JSON mapping registry
 * hosts to credentials. Undecodable means none, as for `X-Registry-Auth`.
 */
export function decodeRegistryConfig(header: string | undefined): Map<string, RegistryAuth> {
  const parsed = decodeBase64Json(header);
  const out = new Map<string, RegistryAuth>();
  for (const [host, value] of Object.entries(parsed ?? {})) {
    if (isRecord(value)) out.set(host, pickAuth(value));
  }
  return out;
}

function decodeBase64Json(header: string | undefined): Record<string, unknown> | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  try {
    // Node's base64url decoder also takes the standard alphabet and padding,
    // which some clients send.
    const parsed: unknown = JSON.parse(Buffer.from(header.trim(), 'base64url').toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function pickAuth(value: Record<string, unknown>): RegistryAuth {
  const auth: RegistryAuth = {};
  for (const field of AUTH_FIELDS) {
    const v = value[field];
    if (typeof v === 'string' && v !== '') auth[field] = v;
  }
  return auth;
}
