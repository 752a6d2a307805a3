import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { BerthError, notFound } from '../kernel/index.js';
import { binary, hijack, jsonLines } from './replies.js';
import { route, type Route } from './router.js';
import { encodeFrame, StdStream } from './streams.js';
import { request, startTestServer, type TestServer } from './test-support.js';

/** Settled by the handlers when they see a disconnect, awaited by the tests. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const exportAborted = deferred();
const exportSourceClosed = deferred();
const eventsAborted = deferred();
const idleEventsAborted = deferred();
const idleLogsClosed = deferred();
const attachAborted = deferred();

/** A source that never ends, like a container export of a huge filesystem. */
function endless(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024, 'x'));
    },
    destroy(error, callback) {
      exportSourceClosed.resolve();
      callback(error);
    },
  });
}

/** A source that sends `first` (if any) and then fails with `error`. */
function failing(error: Error, first?: Buffer): Readable {
  let sent = first === undefined;
  return new Readable({
    read() {
      if (sent) return this.destroy(error);
      sent = true;
      this.push(first);
    },
  });
}

const routes: Route[] = [
  route('POST', '/images/load', () =>
    jsonLines((out) => {
      out.progress({ id: 'a1b2', status: 'Loading layer', current: 50, total: 100 });
      out.stream('Loaded image: busybox:latest\n');
      out.aux({ ID: 'sha256:abc' });
      return Promise.reject(new Error('disk full'));
    }),
  ),
  route('POST', '/images/create', () =>
    jsonLines(() => Promise.reject(notFound('pull access denied for nosuch, repository does not exist'))),
  ),
  route('GET', '/images/{name}/get', () =>
    binary('application/x-tar', Readable.from([Buffer.alloc(4 * 1024 * 1024, 'a'), Buffer.from('end')])),
  ),
  route('GET', '/containers/{name}/export', (ctx) => {
    ctx.signal.addEventListener('abort', exportAborted.resolve);
    return binary('application/x-tar', endless());
  }),
  route('GET', '/broken/get', () =>
    binary('application/x-tar', failing(new Error('layer blob missing'), Buffer.from('partial'))),
  ),
  route('GET', '/early/get', () => binary('application/x-tar', failing(notFound('No such image: early')))),
  route('GET', '/events', (ctx) => {
    ctx.signal.addEventListener('abort', eventsAborted.resolve);
    return jsonLines(async (out) => {
      out.status('listening');
      await once(ctx.signal, 'abort');
      throw ctx.signal.reason;
    });
  }),
  route('GET', '/idle/events', (ctx) => {
    ctx.signal.addEventListener('abort', idleEventsAborted.resolve);
    return jsonLines(() => once(ctx.signal, 'abort').then(() => undefined), { flushHeaders: true });
  }),
  route('GET', '/containers/{name}/logs', () => {
    const quiet = new Readable({
      read() {},
      destroy: (error, callback) => (idleLogsClosed.resolve(), callback(error)),
    });
    return binary('application/vnd.docker.multiplexed-stream', quiet, { flushHeaders: true });
  }),
  route('POST', '/containers/{name}/attach', () =>
    hijack({
      multiplexed: true,
      run: async (conn) => {
        // Writes like a pipe from conmon would: no error listener of its own.
        while (!conn.signal.aborted) {
          conn.output.write(encodeFrame(StdStream.stdout, Buffer.alloc(16 * 1024, 'o')));
          await new Promise((resolve) => setImmediate(resolve));
        }
        attachAborted.resolve();
      },
    }),
  ),
  route('POST', '/exec/{id}/start', async (ctx) => {
    const options = (await ctx.readJson()) as { Tty?: boolean } | undefined;
    if (ctx.params.id === 'missing') throw notFound('No such exec instance: missing');
    return hijack({
      multiplexed: options?.Tty !== true,
      run: async (conn) => {
        conn.output.write(
          encodeFrame(StdStream.stdout, Buffer.from(`upgraded=${conn.upgraded} tty=${options?.Tty}\n`)),
        );
        for await (const chunk of conn.input) conn.output.write(encodeFrame(StdStream.stderr, chunk as Buffer));
      },
    });
  }),
];

/** Sends a raw HTTP request and returns everything the server writes until it closes. */
async function rawExchange(socketPath: string, head: string, body: string, stdin: string): Promise<string> {
  const socket = connect({ path: socketPath, allowHalfOpen: true });
  await once(socket, 'connect');
  socket.write(
    `${head}\r\nHost: berth\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.end(stdin);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

function decodeFrames(data: Buffer): [number, string][] {
  const frames: [number, string][] = [];
  for (let at = 0; at < data.length;) {
    const size = data.readUInt32BE(at + 4);
    frames.push([data[at] ?? -1, data.subarray(at + 8, at + 8 + size).toString()]);
    at += 8 + size;
  }
  return frames;
}

function openStream(socketPath: string, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpRequest({ socketPath, path }, resolve).on('error', reject).end());
}

describe('streaming replies', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(routes)));
  after(async () => server.close());

  test('a JSON-lines stream sends one object per line and reports a late error in-stream', async () => {
    const res = await request(server.socketPath, { method: 'POST', path: '/images/load' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const lines = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      {
        status: 'Loading layer',
        progressDetail: { current: 50, total: 100 },
        progress: `[${'='.repeat(25)}>${' '.repeat(25)}] ${'50B'.padStart(8)}/100B`,
        id: 'a1b2',
      },
      { stream: 'Loaded image: busybox:latest\n' },
      { aux: { ID: 'sha256:abc' } },
      { errorDetail: { message: 'disk full' }, error: 'disk full' },
    ]);
  });

  test('a JSON-lines handler failing before its first line gets an ordinary error status', async () => {
    const res = await request(server.socketPath, { method: 'POST', path: '/images/create' });
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.body), { message: 'pull access denied for nosuch, repository does not exist' });
  });

  test('a binary stream arrives whole as application/x-tar', async () => {
    const res = await request(server.socketPath, { path: '/images/a/b/get' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-tar');
    assert.equal(res.body.length, 4 * 1024 * 1024 + 3);
    assert.ok(res.body.endsWith('aend'));
  });

  test('a binary source failing before its first chunk gets an ordinary error status', async () => {
    const res = await request(server.socketPath, { path: '/early/get' });
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.body), { message: 'No such image: early' });
  });

  test('a binary source failing midway cuts the connection instead of ending cleanly', async () => {
    await assert.rejects(request(server.socketPath, { path: '/broken/get' }), /aborted|ECONNRESET|socket hang up/);
  });

  test(
    'a client that goes away mid-download aborts the signal and closes the source',
    { timeout: 10_000 },
    async () => {
      const res = await openStream(server.socketPath, '/containers/web/export');
      await once(res, 'data');
      res.destroy();
      await Promise.all([exportAborted.promise, exportSourceClosed.promise]);
    },
  );

  test('a client that goes away mid-stream aborts the handler signal', { timeout: 10_000 }, async () => {
    const res = await openStream(server.socketPath, '/events');
    const [first] = (await once(res, 'data')) as [Buffer];
    assert.deepEqual(JSON.parse(first.toString()), { status: 'listening' });
    res.destroy();
    await eventsAborted.promise;
  });
});

describe('streams that answer at once', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(routes)));
  after(async () => server.close());

  test(
    'a JSON-lines stream with flushHeaders sends its status line before any event',
    { timeout: 10_000 },
    async () => {
      const res = await openStream(server.socketPath, '/idle/events');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      res.destroy();
      await idleEventsAborted.promise;
    },
  );

  test('a binary stream with flushHeaders sends its status line before any byte', { timeout: 10_000 }, async () => {
    const res = await openStream(server.socketPath, '/containers/web/logs');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
    res.destroy();
    await idleLogsClosed.promise;
  });
});

describe('hijacked connections', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(routes)));
  after(async () => server.close());
  const upgradeHead = (path: string) => `POST ${path} HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp`;

  test('Upgrade: tcp gets 101 UPGRADED, the JSON body, and stdin after it on one socket', async () => {
    const raw = await rawExchange(
      server.socketPath,
      upgradeHead('/v1.47/exec/e1/start'),
      '{"Detach":false,"Tty":false}',
      'hello stdin',
    );
    const [head = '', rest = ''] = splitHead(raw);
    assert.match(head, /^HTTP\/1\.1 101 UPGRADED\r\n/);
    assert.match(head, /\r\nContent-Type: application\/vnd\.docker\.multiplexed-stream\r\n/);
    assert.match(head, /\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n/);
    assert.match(head, /\r\napi-version: 1\.47\r\n/i);
    assert.deepEqual(decodeFrames(Buffer.from(rest, 'latin1')), [
      [1, 'upgraded=true tty=false\n'],
      [2, 'hello stdin'],
    ]);
  });

  test('before API 1.42 a multiplexed stream is labelled raw-stream, as Docker does', async () => {
    const raw = await rawExchange(server.socketPath, upgradeHead('/v1.41/exec/e1/start'), '{"Tty":false}', '');
    assert.match(splitHead(raw)[0] ?? '', /\r\nContent-Type: application\/vnd\.docker\.raw-stream\r\n/);
  });

  test('an upgrade request that fails is an ordinary JSON error, then the connection closes', async () => {
    const raw = await rawExchange(server.socketPath, upgradeHead('/exec/missing/start'), '{}', 'ignored');
    const [head = '', body = ''] = splitHead(raw);
    assert.match(head, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(head, /\r\nConnection: close\r\n/i);
    assert.deepEqual(JSON.parse(body), { message: 'No such exec instance: missing' });
  });

  test(
    'a client dropping a hijacked connection aborts the handler and the daemon keeps serving',
    { timeout: 10_000 },
    async () => {
      const socket = connect({ path: server.socketPath });
      await once(socket, 'connect');
      socket.write(
        `${upgradeHead('/containers/web/attach?stream=1&stdout=1')}\r\nHost: berth\r\nContent-Length: 0\r\n\r\n`,
      );
      const [first] = (await once(socket, 'data')) as [Buffer];
      assert.match(first.toString('latin1'), /^HTTP\/1\.1 101 UPGRADED\r\n/);
      socket.destroy();
      await attachAborted.promise;
      assert.equal((await request(server.socketPath, { path: '/nowhere' })).status, 404);
    },
  );

  test('without Upgrade the output is the body of a 200', async () => {
    const res = await request(server.socketPath, {
      method: 'POST',
      path: '/exec/e1/start',
      headers: { 'Content-Type': 'application/json' },
      body: '{"Tty":true}',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.docker.raw-stream');
    assert.deepEqual(decodeFrames(Buffer.from(res.body)), [[1, 'upgraded=false tty=true\n']]);
  });
});

describe('shutdown', () => {
  test('close aborts in-flight handlers, which end their streams, then resolves', async () => {
    const server = await startTestServer(routes);
    const res = await openStream(server.socketPath, '/events');
    await once(res, 'data');
    const rest: Buffer[] = [];
    res.on('data', (c: Buffer) => rest.push(c));
    const ended = once(res, 'end');
    await server.close();
    await ended;
    const message = new BerthError('unavailable', 'daemon is shutting down').message;
    assert.deepEqual(JSON.parse(Buffer.concat(rest).toString()), { errorDetail: { message }, error: message });
  });
});

function splitHead(raw: string): string[] {
  const at = raw.indexOf('\r\n\r\n');
  return [raw.slice(0, at + 2), raw.slice(at + 4)];
}
