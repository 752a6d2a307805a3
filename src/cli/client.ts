/**
 * A small Docker Engine API client over node:http: JSON requests, streamed
 * request bodies (import, load) and streamed responses (save, progress).
 * Paths are sent without a version prefix, which berthd answers with its
 * current API version.
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError, errorMessage, isErrno, type ErrorKind } from '../kernel/index.js';
import { parseHost, type Endpoint } from './host.js';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, chunked. */
  stream?: Readable;
  contentType?: string;
  /** Extra headers, e.g. `X-Registry-Auth` for pull and push. */
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Must be consumed or destroyed by the caller. */
  body: IncomingMessage;
}

export interface ApiClient {
  /** The host string as given (for messages). */
  readonly host: string;
  /** Resolves on 2xx; rejects with ApiError (body read) or ConnectionError. */
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Sends a request and parses the JSON answer. */
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** Attach/exec: asks for `Upgrade: tcp` and hands over the raw connection. */
  hijack(path: string, options?: RequestOptions): Promise<HijackedStream>;
}

/** A hijacked connection: the container's output, and its stdin when upgraded. */
export interface HijackedStream {
  output: Readable;
  /** Undefined when the daemon answered without upgrading (output only). */
  input: Writable | undefined;
  /** 8-byte frames (no TTY) rather than raw bytes. */
  multiplexed: boolean;
}

const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

/** Reverse of api/errors.ts's table, for callers that branch on the kind (rmi -f, inspect). */
const KIND_BY_STATUS: Record<number, ErrorKind> = {
  304: 'not-modified',
  400: 'invalid-argument',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  501: 'not-implemented',
  503: 'unavailable',
};

/** A non-2xx answer; `message` reads as docker prints it. */
class ApiError extends BerthError {
  constructor(
    readonly status: number,
    readonly daemonMessage: string,
  ) {
    super(KIND_BY_STATUS[status] ?? 'internal', `Error response from daemon: ${daemonMessage}`);
    this.name = 'ApiError';
  }
}

/** The daemon could not be reached, or the connection broke: no answer to report. */
export class ConnectionError extends BerthError {
  constructor(kind: ErrorKind, message: string, cause: unknown) {
    super(kind, message, { cause });
    this.name = 'ConnectionError';
  }
}

const UNREACHABLE = ['ENOENT', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'];

function connectionError(host: string, e: unknown): ConnectionError {
  if (isErrno(e, 'EACCES')) {
    return new ConnectionError(
      'forbidden',
      `permission denied while trying to connect to the berth daemon socket at ${host}`,
      e,
    );
  }
  if (UNREACHABLE.some((code) => isErrno(e, code))) {
    return new ConnectionError('unavailable', `Cannot connect to the berth daemon at ${host}. Is berthd running?`, e);
  }
  return new ConnectionError('unavailable', `error during connect: ${errorMessage(e)}`, e);
}

/** Like the docker client: `true` is sent as 1, `false` and undefined are left out, arrays repeat. */
function buildQuery(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === false) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.set(key, value === true ? '1' : String(value));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

async function readBody(body: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function daemonMessage(res: IncomingMessage, text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: a proxy or an old daemon; show the text itself.
  }
  return text.trim() || `${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim();
}

/** Keep-alive would hold the process open after the command is done. */
const agent = new http.Agent({ keepAlive: false });

export function createApiClient(host: string, userAgent: string): ApiClient {
  const endpoint: Endpoint = parseHost(host);
  const request = (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers, 'User-Agent': userAgent };
      let payload: string | undefined;
      if (options.json !== undefined) {
        payload = JSON.stringify(options.json);
        headers['Content-Type'] = 'application/json';
      } else if (options.contentType) headers['Content-Type'] = options.contentType;
      const req = http.request(
        { ...endpoint, agent, method, path: path + buildQuery(options.query), headers, signal: options.signal },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ status, headers: res.headers, body: res });
          readBody(res).then(
            (text) => reject(new ApiError(status, daemonMessage(res, text))),
            (e: unknown) => reject(connectionError(host, e)),
          );
        },
      );
      req.on('error', (e) => reject(connectionError(host, e)));
      if (options.stream) {
        let sourceFailed = false;
        options.stream.once('error', () => (sourceFailed = true));
        // A daemon that answers early (an error) makes the upload fail; the answer wins.
        pipeline(options.stream, req).catch((e: unknown) =>
          reject(sourceFailed && e instanceof Error ? e : connectionError(host, e)),
        );
      } else req.end(payload);
    });
  const hijack = (path: string, options: RequestOptions = {}): Promise<HijackedStream> =>
    new Promise((resolve, reject) => {
      const headers = {
        'User-Agent': userAgent,
        Connection: 'Upgrade',
        Upgrade: 'tcp',
        ...(options.json !== undefined && { 'Content-Type': 'application/json' }),
      };
      const req = http.request({ ...endpoint, agent, method: 'POST', path: path + buildQuery(options.query), headers });
      const multiplexed = (res: IncomingMessage): boolean => res.headers['content-type'] === MULTIPLEXED_STREAM;
      req.on('upgrade', (res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve({ output: socket, input: socket, multiplexed: multiplexed(res) });
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300)
          return resolve({ output: res, input: undefined, multiplexed: multiplexed(res) });
        readBody(res).then(
          (text) => reject(new ApiError(status, daemonMessage(res, text))),
          (e: unknown) => reject(connectionError(host, e)),
        );
      });
      req.on('error', (e) => reject(connectionError(host, e)));
      req.end(options.json === undefined ? undefined : JSON.stringify(options.json));
    });
  return {
    host,
    request,
    hijack,
    async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
      const res = await request(method, path, options);
      const text = await readBody(res.body);
      return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
    },
  };
}

/** Encodes a path segment (image names contain '/' and ':', which the router expects verbatim). */
export function pathParam(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@');
}
