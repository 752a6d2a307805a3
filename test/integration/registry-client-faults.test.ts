import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isBerthError } from '../../src/kernel/index.js';
import type { Descriptor } from '../../src/image/index.js';
import { parseReference } from '../../src/reference/index.js';
import { createRegistryClient, type Repository } from '../../src/registry/index.js';
import { pushImage, startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

/**
 * The real registry behind a small HTTP proxy that breaks things the way
 * networks and odd registries do: it cuts a response mid-body, drops the Range
 * header, answers 503, or answers a request itself with a body the registry
 * would never serve (a manifest over 4 MiB, a schema 1 manifest).
 */
interface Fault {
  /** Forward the answer but close the connection after this many body bytes. */
  cutAfter?: number;
  /** Forward the request without its Range header, so the registry sends the whole blob again. */
  stripRange?: boolean;
  /** Answer the request here instead of forwarding it. */
  respond?: (res: ServerResponse) => void;
}

interface FaultyProxy {
  host: string;
  /** Requests seen, as `METHOD path [range] [(authorized)]`. */
  seen: string[];
  close(): Promise<void>;
}

async function startProxy(
  target: TestRegistry,
  faultFor: (req: IncomingMessage) => Fault | undefined,
): Promise<FaultyProxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const range = req.headers.range ? ` ${req.headers.range}` : '';
    seen.push(`${req.method} ${req.url}${range}${req.headers.authorization ? ' (authorized)' : ''}`);
    const fault = faultFor(req) ?? {};
    if (fault.respond) return fault.respond(res);
    const headers = { ...req.headers };
    if (fault.stripRange) delete headers.range;
    const upstream = request(`${target.url}${req.url}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (fault.cutAfter === undefined) return answer.pipe(res);
      let sent = 0;
      const limit = fault.cutAfter;
      const cut = () => {
        answer.destroy();
        res.socket?.destroy();
      };
      if (limit === 0) return (res.flushHeaders(), setImmediate(cut));
      answer.on('data', (chunk: Buffer) => {
        if (sent >= limit) return;
        const part = chunk.subarray(0, limit - sent);
        sent += part.length;
        res.write(part, () => sent >= limit && cut());
      });
      answer.on('end', () => res.end());
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      // The client keeps connections alive; they are not the proxy's to wait for.
      server.closeAllConnections();
      return closed;
    },
  };
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('the registry client when the network or the registry misbehaves', () => {
  let registry: TestRegistry;
  let image: PushedImage;
  let layer: Descriptor;
  const client = createRegistryClient({
    certsDirs: [],
    insecureRegistries: [],
    mirrors: [],
    userAgent: 'berth-test',
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    retry: { attempts: 3, baseDelayMs: 10 },
  });
  const through = (proxy: FaultyProxy): Repository => client.repository(parseReference(`${proxy.host}/library/big`));

  before(async () => {
    registry = await startRegistry();
    // Random bytes do not compress: the gzipped layer is as large as the tar.
    image = await pushImage(registry, 'library/big', 'v1', { layers: [randomBytes(3_000_000)] });
    layer = image.layers[0] as Descriptor;
  });
  after(async () => {
    await client.close();
    await registry.stop();
  });

  const isBlobGet = (req: IncomingMessage) => req.method === 'GET' && req.url?.includes('/blobs/') === true;

  test('a blob download cut mid-way resumes with a Range request and delivers every byte once', async () => {
    let cuts = 0;
    const proxy = await startProxy(registry, (req) =>
      isBlobGet(req) && cuts++ === 0 ? { cutAfter: 1_000_000 } : undefined,
    );
    try {
      const received: number[] = [];
      const bytes = await read(through(proxy).openBlob(layer, { onBytes: (n) => received.push(n) }));
      assert.equal(sha256(bytes), layer.digest);
      assert.equal(received.at(-1), layer.size);
      const gets = proxy.seen.filter((s) => s.startsWith('GET') && s.includes('/blobs/'));
      assert.equal(gets.length, 2);
      assert.match(gets[1]!, / bytes=\d+-$/);
    } finally {
      await proxy.close();
    }
  });

  test('a resume the registry answers with the whole blob skips the part already delivered', async () => {
    let gets = 0;
    const proxy = await startProxy(registry, (req) => {
      if (!isBlobGet(req)) return undefined;
      return gets++ === 0 ? { cutAfter: 700_000 } : { stripRange: true };
    });
    try {
      assert.equal(sha256(await read(through(proxy).openBlob(layer))), layer.digest);
      assert.equal(gets, 2);
    } finally {
      await proxy.close();
    }
  });

  test('a download cut every time after some progress still completes, one piece per request', async () => {
    const proxy = await startProxy(registry, (req) => (isBlobGet(req) ? { cutAfter: 800_000 } : undefined));
    try {
      assert.equal(sha256(await read(through(proxy).openBlob(layer))), layer.digest);
    } finally {
      await proxy.close();
    }
  });

  test('a download that never makes progress fails as unavailable after the retries', async () => {
    const proxy = await startProxy(registry, (req) => (isBlobGet(req) ? { cutAfter: 0 } : undefined));
    try {
      await assert.rejects(read(through(proxy).openBlob(layer)), (e) => {
        assert.ok(isBerthError(e, 'unavailable'));
        assert.match(e.message, /library\/big@sha256:/);
        return true;
      });
      assert.equal(proxy.seen.filter((s) => s.startsWith('GET') && s.includes('/blobs/')).length, 3);
    } finally {
      await proxy.close();
    }
  });

  test('a blob redirected to another origin is fetched there, without the registry\u2019s credentials', async () => {
    const storage = await startProxy(registry, () => undefined);
    const redirect = (req: IncomingMessage) => (res: ServerResponse) =>
      res.writeHead(307, { Location: `http://${storage.host}${req.url}` }).end();
    const front = await startProxy(registry, (req) => (isBlobGet(req) ? { respond: redirect(req) } : undefined));
    try {
      const r = client.repository(parseReference(`${front.host}/library/big`), { registryToken: 'opaque' });
      assert.equal(sha256(await read(r.openBlob(layer))), layer.digest);
      assert.ok(front.seen.some((s) => s.includes('/blobs/') && s.endsWith('(authorized)')));
      assert.deepEqual(storage.seen, [`GET /v2/library/big/blobs/${layer.digest}`]);
    } finally {
      await front.close();
      await storage.close();
    }
  });

  test('a 503 is retried and the second answer is used', async () => {
    let manifestGets = 0;
    const unavailable = (res: ServerResponse) => res.writeHead(503).end('busy');
    const proxy = await startProxy(registry, (req) =>
      req.url?.includes('/manifests/') && manifestGets++ === 0 ? { respond: unavailable } : undefined,
    );
    try {
      assert.equal((await through(proxy).getManifest('v1')).digest, image.digest);
      assert.equal(manifestGets, 2);
    } finally {
      await proxy.close();
    }
  });

  test('an upload that fails with a 503 starts again from a fresh stream', async () => {
    let puts = 0;
    const busy = (res: ServerResponse) => res.writeHead(503).end('busy');
    const proxy = await startProxy(registry, (req) =>
      req.method === 'PUT' && puts++ === 0 ? { respond: busy } : undefined,
    );
    try {
      const data = randomBytes(500_000);
      const descriptor = {
        mediaType: 'application/octet-stream',
        digest: sha256(data),
        size: data.length,
      } as Descriptor;
      let opened = 0;
      const r = through(proxy);
      await r.uploadBlob(descriptor, () => (opened++, Readable.from([data])));
      assert.equal(opened, 2);
      assert.equal(await r.hasBlob(descriptor.digest), true);
    } finally {
      await proxy.close();
    }
  });

  const manifestAnswer = (contentType: string, body: Buffer, withLength: boolean) => (res: ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': contentType,
      ...(withLength ? { 'Content-Length': String(body.length) } : {}),
    });
    // Without a length the body goes out in pieces, so the client must stop reading on its own.
    for (let i = 0; i < body.length; i += 256 * 1024) res.write(body.subarray(i, i + 256 * 1024));
    res.end();
  };
  const hugeManifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, config: {}, layers: [], annotations: { pad: 'x'.repeat(5 * 1024 * 1024) } }),
  );

  for (const withLength of [true, false]) {
    test(`a manifest over 4 MiB is refused (${withLength ? 'with' : 'without'} Content-Length)`, async () => {
      const respond = manifestAnswer('application/vnd.oci.image.manifest.v1+json', hugeManifest, withLength);
      const proxy = await startProxy(registry, (req) =>
        req.url?.endsWith('/manifests/huge') ? { respond } : undefined,
      );
      try {
        await assert.rejects(through(proxy).getManifest('huge'), (e) => {
          assert.ok(isBerthError(e, 'failed-precondition'));
          assert.match(e.message, /manifest too large/);
          return true;
        });
      } finally {
        await proxy.close();
      }
    });
  }

  test('a schema 1 manifest is refused with a message that says so', async () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'library/big', tag: 'old', fsLayers: [] }));
    const respond = manifestAnswer('application/vnd.docker.distribution.manifest.v1+prettyjws', schema1, true);
    const proxy = await startProxy(registry, (req) => (req.url?.endsWith('/manifests/old') ? { respond } : undefined));
    try {
      await assert.rejects(through(proxy).getManifest('old'), /schema 1 manifests are not supported/);
      await assert.rejects(through(proxy).resolve('old'), /schema 1 manifests are not supported/);
    } finally {
      await proxy.close();
    }
  });

  test('a manifest whose bytes do not match the digest asked for is refused', async () => {
    const other = Buffer.from(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    const respond = manifestAnswer('application/vnd.oci.image.manifest.v1+json', other, true);
    const proxy = await startProxy(registry, (req) =>
      req.url?.includes('/manifests/sha256:') ? { respond } : undefined,
    );
    try {
      await assert.rejects(through(proxy).getManifest(image.digest), /manifest digest mismatch/);
    } finally {
      await proxy.close();
    }
  });
});
