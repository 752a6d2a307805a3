import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { errorFromResponse, networkError } from './errors.js';
import { readHostTls } from './tls.js';

export interface TransportOptions {
  readonly certsDirs: readonly string[];
  readonly userAgent: string;
  /** Time to establish a connection (TCP and TLS). */
  readonly connectTimeoutMs: number;
  /** Longest silence from the registry: before the response headers, and between body chunks. */
  readonly idleTimeoutMs: number;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  signal?: AbortSignal;
  /** Skip certificate verification (an HTTPS endpoint of a registry configured insecure). */
  insecureTls?: boolean;
  /** Follow 3xx answers (blob GETs are redirected to storage); Authorization is dropped on a new origin. */
  followRedirects?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered, after redirects. */
  url: string;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * HTTP for the registry client: one undici Agent per origin with that host's
 * certs.d material, bounded connect and idle times so an unreachable or
 * stalled registry fails as `unavailable` instead of hanging, and redirects.
 */
export class Transport {
  private readonly agents = new Map<string, Promise<Agent>>();

  constructor(private readonly options: TransportOptions) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let headers: Record<string, string> = { 'User-Agent': this.options.userAgent, ...req.headers };
    for (let hop = 0; ; hop++) {
      const res = await this.once({ ...req, url, headers });
      const location = res.headers.location;
      if (!req.followRedirects || !REDIRECTS.has(res.status) || typeof location !== 'string') return res;
      await res.body.dump();
      if (hop === MAX_REDIRECTS)
        throw errorFromResponse(res.status, '', `${req.method} ${req.url}: too many redirects`);
      const next = new URL(location, url);
      // Storage behind a redirect (S3, a CDN) must not see the registry's token.
      if (next.origin !== new URL(url).origin) headers = withoutAuthorization(headers);
      url = next.href;
    }
  }

  private async once(req: HttpRequest & { headers: Record<string, string> }): Promise<HttpResponse> {
    try {
      const dispatcher = await this.agent(new URL(req.url), req.insecureTls === true);
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        dispatcher,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body, url: req.url };
    } catch (e) {
      throw networkError(e, req.method, req.url, req.signal);
    }
  }

  private agent(url: URL, insecureTls: boolean): Promise<Agent> {
    const key = `${url.origin} ${insecureTls}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = this.makeAgent(url, insecureTls);
      this.agents.set(key, agent);
      // A certs.d read that failed is retried on the next request rather than cached.
      agent.catch(() => this.agents.delete(key));
    }
    return agent;
  }

  private async makeAgent(url: URL, insecureTls: boolean): Promise<Agent> {
    const tls = url.protocol === 'https:' ? await readHostTls(this.options.certsDirs, url.host) : {};
    return new Agent({
      connect: { ...tls, rejectUnauthorized: !insecureTls, timeout: this.options.connectTimeoutMs },
      headersTimeout: this.options.idleTimeoutMs,
      bodyTimeout: this.options.idleTimeoutMs,
    });
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.allSettled(agents.map(async (a) => (await a).close()));
  }
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}

/** A header's single value (undici gives arrays for repeated headers). */
export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads a body up to `limit` bytes; past it, stops reading and returns undefined. */
export async function readLimited(body: HttpResponse['body'], limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** A small error body as text (the distribution error JSON), never more than 64 KiB. */
export async function readErrorBody(res: HttpResponse): Promise<string> {
  try {
    return (await readLimited(res.body, 64 * 1024))?.toString() ?? '';
  } catch {
    return '';
  }
}
