import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../kernel/index.js';
import { startApiServer, type RunningApiServer } from './listen.js';
import type { Route } from './router.js';
import type { VersionInfo } from './server.js';

/** Shared by the api tests: a server on a temporary socket and a plain client. */

export const testVersion: VersionInfo = {
  version: '0.0.0-test',
  gitCommit: 'abc1234',
  buildTime: '2026-11-27T00:00:00Z',
};

export interface CapturingLogger extends Logger {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[];
}

export function capturingLogger(): CapturingLogger {
  const lines: CapturingLogger['lines'] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface TestServer extends RunningApiServer {
  readonly dir: string;
}

export async function startTestServer(routes: Route[], logger: Logger = capturingLogger()): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-api-'));
  const running = await startApiServer({
    host: `unix://${join(dir, 'api.sock')}`,
    routes,
    logger,
    version: testVersion,
  });
  return {
    dir,
    socketPath: running.socketPath,
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function request(
  socketPath: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { socketPath, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
