import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BerthError, type ErrorKind } from '../kernel/index.js';
import { API_VERSION } from './api-version.js';
import { startApiServer, parseHost } from './listen.js';
import { json } from './replies.js';
import { route, type Route } from './router.js';
import { systemRoutes } from './system.js';
import { capturingLogger, request, startTestServer, testVersion, type TestServer } from './test-support.js';

const KINDS: [ErrorKind, number][] = [
  ['not-found', 404],
  ['already-exists', 409],
  ['invalid-argument', 400],
  ['conflict', 409],
  ['failed-precondition', 400],
  ['unauthorized', 401],
  ['forbidden', 403],
  ['unavailable', 503],
  ['not-implemented', 501],
  ['internal', 500],
];

const logger = capturingLogger();
const routes: Route[] = [
  ...systemRoutes(testVersion),
  route('GET', '/images/{name}/json', (ctx) => json(200, { name: ctx.params.name, version: ctx.apiVersion })),
  route('GET', '/fail/{kind}', (ctx) => {
    throw new BerthError(ctx.params.kind as ErrorKind, `failed as ${ctx.params.kind}`);
  }),
  route('GET', '/crash', () => {
    throw new TypeError('cannot read properties of undefined');
  }),
  route('POST', '/echo', async (ctx) =>
    json(201, { got: (await ctx.readJson()) ?? null, auth: ctx.registryAuth() ?? null }),
  ),
  route('POST', '/small', async (ctx) => json(200, await ctx.readJson({ limit: 8 }))),
  route('GET', '/query', (ctx) =>
    json(200, { all: ctx.query.bool('all'), labels: ctx.query.filters(['label']).get('label') }),
  ),
  route('POST', '/containers/{name}/start', () => {
    throw new BerthError('not-modified', 'container already started');
  }),
];

describe('api server on a unix socket', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(routes, logger)));
  after(async () => server.close());
  const get = (path: string, method = 'GET') => request(server.socketPath, { method, path });

  test('the socket is mode 0660, never world-accessible', async () => {
    const st = await lstat(server.socketPath);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
  });

  test('GET /_ping answers OK with the ping headers', async () => {
    const res = await get('/_ping');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'OK');
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['api-version'], API_VERSION);
    assert.equal(res.headers['builder-version'], '1');
    assert.equal(res.headers['cache-control'], 'no-cache, no-store, must-revalidate');
    assert.equal(res.headers['pragma'], 'no-cache');
    assert.equal(res.headers['docker-experimental'], 'false');
    assert.equal(res.headers['ostype'], 'linux');
    assert.equal(res.headers['server'], `Berth/${testVersion.version} (linux)`);
  });

  test('HEAD /_ping has the same headers and an empty body', async () => {
    const res = await get('/_ping', 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-length'], '0');
    assert.equal(res.headers['api-version'], API_VERSION);
    assert.equal(res.headers['builder-version'], '1');
  });

  const versionRows: [string, number, string | undefined][] = [
    ['/v1.41/_ping', 200, undefined],
    ['/v1.24/_ping', 200, undefined],
    ['/v1.99/_ping', 400, `client version 1.99 is too new. Maximum supported API version is ${API_VERSION}`],
    [
      '/v1.12/_ping',
      400,
      'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
    ],
    ['/nowhere', 404, 'page not found'],
    ['/v1.41/nowhere', 404, 'page not found'],
  ];
  for (const [path, status, message] of versionRows) {
    test(`GET ${path} answers ${status}${message ? ' with a JSON message' : ''}`, async () => {
      const res = await get(path);
      assert.equal(res.status, status);
      assert.equal(res.headers['api-version'], API_VERSION);
      if (message === undefined) return;
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(res.body), { message });
    });
  }

  test('an image name with a registry port and slashes reaches the handler whole and decoded', async () => {
    const res = await get('/v1.41/images/localhost%3A5000/a/b:tag/json');
    assert.deepEqual(JSON.parse(res.body), { name: 'localhost:5000/a/b:tag', version: '1.41' });
  });

  for (const [kind, status] of KINDS) {
    test(`a ${kind} error from a handler is a ${status} with its message`, async () => {
      const res = await get(`/fail/${kind}`);
      assert.equal(res.status, status);
      assert.deepEqual(JSON.parse(res.body), { message: `failed as ${kind}` });
    });
  }

  test('not-modified is a bare 304', async () => {
    const res = await request(server.socketPath, { method: 'POST', path: '/containers/web/start' });
    assert.equal(res.status, 304);
    assert.equal(res.body, '');
  });

  test('an unexpected error is a 500 with its message; the stack goes only to the log', async () => {
    const res = await get('/crash');
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body), { message: 'cannot read properties of undefined' });
    const logged = logger.lines.find((l) => l.level === 'error' && l.msg.includes('/crash'));
    assert.match(String(logged?.fields?.stack), /TypeError: cannot read properties of undefined\n\s+at /);
  });

  test('readJson parses a JSON body and X-Registry-Auth is decoded', async () => {
    const auth = Buffer.from(JSON.stringify({ username: 'u', password: 'p' })).toString('base64url');
    const res = await request(server.socketPath, {
      method: 'POST',
      path: '/echo',
      headers: { 'Content-Type': 'application/json', 'X-Registry-Auth': auth },
      body: '{"Image":"busybox"}',
    });
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.body), { got: { Image: 'busybox' }, auth: { username: 'u', password: 'p' } });
  });

  const badBodies: [string, Record<string, string>, string, RegExp][] = [
    ['invalid JSON', { 'Content-Type': 'application/json' }, '{"Image":', /^invalid JSON: /],
    [
      'a non-JSON content type',
      { 'Content-Type': 'text/plain' },
      '{}',
      /^unsupported Content-Type header \(text\/plain\): must be 'application\/json'$/,
    ],
  ];
  for (const [what, headers, body, message] of badBodies) {
    test(`a body with ${what} is a 400`, async () => {
      const res = await request(server.socketPath, { method: 'POST', path: '/echo', headers, body });
      assert.equal(res.status, 400);
      assert.match((JSON.parse(res.body) as { message: string }).message, message);
    });
  }

  test('an empty body reads as undefined whatever its content type', async () => {
    const res = await request(server.socketPath, {
      method: 'POST',
      path: '/echo',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.deepEqual(JSON.parse(res.body), { got: null, auth: null });
  });

  test('a JSON body over the limit is a 400', async () => {
    const res = await request(server.socketPath, {
      method: 'POST',
      path: '/small',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":"0123456789"}',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { message: 'request body is larger than 8 bytes' });
  });

  test('query helpers read booleans and filters in both forms over HTTP', async () => {
    for (const filters of ['{"label":{"a=1":true}}', '{"label":["a=1"]}']) {
      const res = await get(`/query?all=True&filters=${encodeURIComponent(filters)}`);
      assert.deepEqual(JSON.parse(res.body), { all: true, labels: ['a=1'] });
    }
    const bad = await get(`/query?filters=${encodeURIComponent('{"nope":["x"]}')}`);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { message: "invalid filter 'nope'" });
  });

  test('GET /version describes berth in SystemVersion shape', async () => {
    const res = await get('/v1.41/version');
    const v = JSON.parse(res.body) as Record<string, string> & {
      Platform: { Name: string };
      Components: { Name: string; Details: Record<string, string> }[];
    };
    assert.equal(v.Platform.Name, 'berth');
    assert.equal(v.Version, testVersion.version);
    assert.equal(v.ApiVersion, API_VERSION);
    assert.equal(v.MinAPIVersion, '1.24');
    assert.equal(v.Os, 'linux');
    assert.match(v.Arch ?? '', /^(amd64|arm64|386|arm|ppc64le|s390x|riscv64|loong64)$/);
    assert.equal(v.GoVersion, `node ${process.version}`);
    assert.equal(v.Components[0]?.Name, 'Engine');
    assert.equal(v.Components[0]?.Details.ApiVersion, API_VERSION);
  });
});

describe('socket file handling', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'berth-sock-'))));
  after(async () => rm(dir, { recursive: true, force: true }));
  const start = (path: string) =>
    startApiServer({ host: `unix://${path}`, routes: [], logger: capturingLogger(), version: testVersion });

  test('a second daemon on a live socket is refused and the first keeps serving', async () => {
    const first = await start(join(dir, 'live.sock'));
    try {
      await assert.rejects(start(join(dir, 'live.sock')), /another daemon is already listening on .*live\.sock/);
      assert.equal((await request(first.socketPath, { path: '/nowhere' })).status, 404);
    } finally {
      await first.close();
    }
  });

  test('a stale socket left by a killed process is replaced', async () => {
    const path = join(dir, 'stale.sock');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok((await lstat(path)).isSocket());
    const server = await start(path);
    assert.equal((await request(path, { path: '/nowhere' })).status, 404);
    await server.close();
    assert.equal(existsSync(path), false, 'close removes the socket file');
  });

  test('a regular file at the socket path is left alone', async () => {
    const path = join(dir, 'file.sock');
    await writeFile(path, 'keep me');
    await assert.rejects(start(path), /exists and is not a socket/);
  });

  test('tcp hosts are refused until TLS is supported', () => {
    assert.throws(() => parseHost('tcp://0.0.0.0:2375'), /tcp hosts need TLS, not supported yet/);
    assert.throws(() => parseHost('unix://relative.sock'), /must be absolute/);
    assert.deepEqual(parseHost('unix:///run/berth/berth.sock'), { kind: 'unix', path: '/run/berth/berth.sock' });
  });
});

const DOCKER = '/usr/local/bin/docker';
describe('the real docker CLI', () => {
  test(
    '`docker version` prints the Server section from /_ping and /version',
    { skip: existsSync(DOCKER) ? false : `${DOCKER} is not installed` },
    async () => {
      const server = await startTestServer(systemRoutes(testVersion));
      try {
        const { stdout } = await promisify(execFile)(DOCKER, ['version'], {
          env: {
            ...process.env,
            DOCKER_HOST: `unix://${server.socketPath}`,
            DOCKER_CONTEXT: '',
            DOCKER_CONFIG: server.dir,
          },
        });
        assert.match(stdout, /Server: berth\n/);
        assert.match(stdout, new RegExp(`Engine:\\n\\s+Version:\\s+${testVersion.version.replace(/\./g, '\\.')}\\n`));
        assert.match(
          stdout,
          new RegExp(`API version:\\s+${API_VERSION.replace('.', '\\.')} \\(minimum version 1\\.24\\)`),
        );
        assert.match(stdout, /Go version:\s+node v\d+/);
      } finally {
        await server.close();
      }
    },
  );
});
