import { arch, release } from 'node:os';
import { API_VERSION, MIN_API_VERSION } from './api-version.js';
import { json, text, type ReplyHeaders } from './replies.js';
import { route, type Route } from './router.js';
import type { VersionInfo } from './server.js';

/**
 * `/_ping` headers. `Builder-Version: 1` tells the docker CLI to use the
 * classic `/build` endpoint (berth has no BuildKit); the cache headers keep
 * proxies from answering pings for a daemon that is gone.
 */
const PING_HEADERS: ReplyHeaders = {
  'Builder-Version': '1',
  Swarm: 'inactive',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
  Pragma: 'no-cache',
};

/** Node's `process.arch` in Go's GOARCH words, which clients expect. */
const GOARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** `GET|HEAD /_ping` and `GET /version`. */
export function systemRoutes(version: VersionInfo): Route[] {
  return [
    route('GET', '/_ping', () => text(200, 'OK', PING_HEADERS)),
    // Docker answers HEAD with the same headers and `Content-Length: 0`.
    route('HEAD', '/_ping', () => text(200, '', PING_HEADERS)),
    route('GET', '/version', () => json(200, systemVersion(version))),
  ];
}

/** The `SystemVersion` document; "Go" fields name the Node.js runtime instead. */
function systemVersion(version: VersionInfo): Record<string, unknown> {
  const facts = {
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: version.gitCommit,
    GoVersion: `node ${process.version}`,
    Os: 'linux',
    Arch: GOARCH[arch()] ?? arch(),
    KernelVersion: release(),
    BuildTime: version.buildTime,
  };
  return {
    Platform: { Name: 'berth' },
    Components: [{ Name: 'Engine', Version: version.version, Details: { ...facts, Experimental: 'false' } }],
    Version: version.version,
    ...facts,
  };
}
