import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { invalidArgument, type Logger } from '../kernel/index.js';
import { apiVersionAtLeast } from './api-version.js';
import { createQuery, decodeRegistryAuth, decodeRegistryConfig, type Query, type RegistryAuth } from './params.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** A generated validator (Ajv's `ValidateFunction<T>` fits). */
export interface JsonValidator<T> {
  (value: unknown): value is T;
  errors?: readonly { instancePath?: string; message?: string }[] | null;
}

/** Everything a handler may know about its request. */
export interface RequestContext<P extends string = string> {
  readonly method: HttpMethod;
  /** The decoded path without version prefix or query. */
  readonly path: string;
  /** The version the client asked for in its prefix, or ours without one. */
  readonly apiVersion: string;
  /** Decoded path parameters, named as in the route pattern. */
  readonly params: Readonly<Record<P, string>>;
  readonly query: Query;
  readonly headers: IncomingHttpHeaders;
  /**
   * The raw request body, unbuffered, for load/import/build: pass it on as a
   * stream. Use `readJson` instead for JSON bodies.
   */
  readonly body: Readable;
  /** Aborted when the client disconnects or the daemon shuts down; pass it on. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** True when the negotiated version is `min` or newer (`ctx.apiVersionAtLeast('1.44')`). */
  apiVersionAtLeast(min: string): boolean;
  /**
   * Reads the whole body as JSON, at most `limit` bytes (default 4 MiB).
   * Resolves undefined for an empty body, which Docker accepts wherever a
   * body is optional. With a validator, the value is checked and typed.
   */
  readJson(options?: ReadJsonOptions): Promise<unknown>;
  readJson<T>(validate: JsonValidator<T>, options?: ReadJsonOptions): Promise<T | undefined>;
  /** `X-Registry-Auth`, decoded; undefined when absent or undecodable. */
  registryAuth(): RegistryAuth | undefined;
  /** `X-Registry-Config` (build), decoded: registry host → credentials. */
  registryConfig(): Map<string, RegistryAuth>;
}

export interface ReadJsonOptions {
  limit?: number;
}

const DEFAULT_JSON_LIMIT = 4 * 1024 * 1024;

export interface ContextInit {
  method: HttpMethod;
  path: string;
  apiVersion: string;
  params: Record<string, string>;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Readable;
  signal: AbortSignal;
  logger: Logger;
}

export function createContext(init: ContextInit): RequestContext {
  const { headers, body } = init;
  async function readJson<T>(
    validateOrOptions?: JsonValidator<T> | ReadJsonOptions,
    maybeOptions?: ReadJsonOptions,
  ): Promise<unknown> {
    const validate = typeof validateOrOptions === 'function' ? validateOrOptions : undefined;
    const options = (typeof validateOrOptions === 'function' ? maybeOptions : validateOrOptions) ?? {};
    const value = await readJsonBody(body, headers['content-type'], options.limit ?? DEFAULT_JSON_LIMIT);
    if (value !== undefined && validate && !validate(value)) {
      const first = validate.errors?.[0];
      const where = first?.instancePath ? `${first.instancePath}: ` : '';
      throw invalidArgument(`invalid request body: ${where}${first?.message ?? 'does not match the schema'}`);
    }
    return value;
  }
  return {
    method: init.method,
    path: init.path,
    apiVersion: init.apiVersion,
    params: init.params,
    query: createQuery(init.search),
    headers,
    body,
    signal: init.signal,
    logger: init.logger,
    apiVersionAtLeast: (min) => apiVersionAtLeast(init.apiVersion, min),
    readJson,
    registryAuth: () => decodeRegistryAuth(headerValue(headers['x-registry-auth'])),
    registryConfig: () => decodeRegistryConfig(headerValue(headers['x-registry-config'])),
  };
}

async function readJsonBody(body: Readable, contentType: string | undefined, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Not destroying the body on early exit keeps the socket alive for the
  // error reply; the server closes the connection after it instead.
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) throw invalidArgument(`request body is larger than ${limit} bytes`);
    chunks.push(buf);
  }
  if (size === 0) return undefined;
  checkJsonContentType(contentType);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (e) {
    throw invalidArgument(`invalid JSON: ${(e as Error).message}`, e);
  }
}

/**
 * A JSON body must say so, in Docker's words; a missing Content-Type is
 * let through because older clients omit it.
 */
function checkJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === '') return;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw invalidArgument(`unsupported Content-Type header (${contentType}): must be 'application/json'`);
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
