/**
 * Direct Engine API calls for bulk setup (creating and removing hundreds of
 * containers), where spawning the CLI per object would make setup slow.
 * Measurements still go through the CLI (docker-cli.ts).
 */
import { request } from 'node:http';
import type { Engine } from './engines.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

export function engineApi(
  engine: Engine,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = payload === undefined ? {} : { 'Content-Type': 'application/json' };
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socketPath, path, method, headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: String(Buffer.concat(chunks)) }));
    });
    req.once('error', reject);
    req.end(payload);
  });
}

/**
 * A call whose answer comes in two parts, as `POST /containers/{id}/wait`'s
 * does: settles with the status once the headers arrive; `body` settles
 * when the engine ends the response.
 */
export function engineApiHeadersFirst(
  engine: Engine,
  method: string,
  path: string,
  signal?: AbortSignal,
): Promise<{ status: number; body: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socketPath, path, method, signal }, (res) => {
      const body = new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', fail);
        res.once('end', () => done(String(Buffer.concat(chunks))));
      });
      body.catch(() => {});
      resolve({ status: res.statusCode ?? 0, body });
    });
    req.once('error', reject);
    req.end();
  });
}

/** Like engineApi, but a status outside 2xx is an error naming the engine and the call. */
export async function engineApiOk(
  engine: Engine,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<string> {
  const res = await engineApi(engine, method, path, body, signal);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${engine.name}: ${method} ${path} answered ${res.status}: ${res.body.trim()}`);
  }
  return res.body;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results in
 * input order. After the first failure no new call starts, so a caller that
 * gets the rejection knows what it made once the calls in flight settle.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length && !failed; i = next++) {
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (e: unknown) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results;
}
