import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isBerthError, type Digest } from '../../src/kernel/index.js';
import type { Descriptor } from '../../src/image/index.js';
import { createRegistryClient, type Credentials } from '../../src/registry/index.js';
import { blob, client, fast, layerTar, read, repo, sha256 } from '../support/registry-client.js';
import { pushImage, startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

describe('the registry client against htpasswd basic auth over TLS with a test CA', () => {
  let registry: TestRegistry;
  let c: ReturnType<typeof client>;
  let creds: Credentials;
  before(async () => {
    registry = await startRegistry({ mode: 'htpasswd' });
    c = client(registry);
    creds = { username: registry.username, password: registry.password };
    await pushImage(registry, 'team/app', 'v1', { layers: [layerTar()] });
  });
  after(async () => {
    await c.close();
    await registry.stop();
  });

  test('the right credentials pull and push, with the CA from certs.d', async () => {
    const r = repo(c, registry, 'team/app', creds);
    const manifest = await r.getManifest('v1');
    const data = randomBytes(5000);
    await r.uploadBlob(blob(data), () => Readable.from([data]));
    assert.equal(await r.hasBlob(sha256(data)), true);
    assert.equal(await r.putManifest('v2', manifest), manifest.digest);
  });

  test('wrong credentials are unauthorized', async () => {
    await assert.rejects(
      repo(c, registry, 'team/app', { username: 'berth', password: 'wrong' }).getManifest('v1'),
      (e) => {
        assert.ok(isBerthError(e, 'unauthorized'));
        assert.match(e.message, /unauthorized: authentication required/);
        return true;
      },
    );
  });

  test('no credentials are unauthorized', async () => {
    await assert.rejects(repo(c, registry, 'team/app').getManifest('v1'), (e) => isBerthError(e, 'unauthorized'));
  });

  test('without the CA the connection fails with a TLS error that says what to do', async () => {
    const noCa = client(undefined);
    try {
      await assert.rejects(repo(noCa, registry, 'team/app', creds).getManifest('v1'), (e) => {
        assert.ok(isBerthError(e, 'unavailable'));
        assert.match(e.message, /TLS: .*certs\.d/);
        return true;
      });
    } finally {
      await noCa.close();
    }
  });

  test('login checks the credentials', async () => {
    assert.deepEqual(await c.login(`https://${registry.host}`, creds), {});
    await assert.rejects(c.login(registry.host, { username: 'berth', password: 'wrong' }), (e) => {
      assert.ok(isBerthError(e, 'unauthorized'));
      assert.match(e.message, /login attempt to .* failed with status: 401 Unauthorized/);
      return true;
    });
  });
});

describe('the registry client with the bearer-token flow', () => {
  let registry: TestRegistry;
  let image: PushedImage;
  let creds: Credentials;
  before(async () => {
    registry = await startRegistry({ mode: 'token' });
    creds = { username: registry.username, password: registry.password };
    image = await pushImage(registry, 'library/base', 'v1', { layers: [layerTar()] });
  });
  after(() => registry.stop());

  const tokenRequestsSince = (n: number) => registry.tokenRequests!.slice(n);

  test('pulls anonymously with an anonymous pull token', async () => {
    const c = client(registry);
    const before = registry.tokenRequests!.length;
    try {
      const r = repo(c, registry, 'library/base');
      assert.equal((await r.getManifest('v1')).digest, image.digest);
      assert.equal(sha256(await read(r.openBlob(image.layers[0] as Descriptor))), image.layers[0]!.digest);
    } finally {
      await c.close();
    }
    const asked = tokenRequestsSince(before);
    assert.deepEqual(asked, [{ method: 'GET', user: undefined, scopes: ['repository:library/base:pull'] }]);
  });

  test('an anonymous push is unauthorized', async () => {
    const c = client(registry);
    try {
      const data = randomBytes(100);
      await assert.rejects(
        repo(c, registry, 'library/base').uploadBlob(blob(data), () => Readable.from([data])),
        (e) => isBerthError(e, 'unauthorized'),
      );
    } finally {
      await c.close();
    }
  });

  test('pushes with credentials, asking for pull and push', async () => {
    const c = client(registry);
    const before = registry.tokenRequests!.length;
    try {
      const data = randomBytes(1000);
      const r = repo(c, registry, 'me/pushed', creds);
      await r.uploadBlob(blob(data), () => Readable.from([data]));
      assert.equal(await r.hasBlob(sha256(data)), true);
    } finally {
      await c.close();
    }
    const scopes = tokenRequestsSince(before).map((t) => [t.user, ...t.scopes]);
    assert.deepEqual(scopes[0], ['berth', 'repository:me/pushed:pull,push']);
  });

  test('mounts across repositories with a token for both', async () => {
    const c = client(registry);
    const before = registry.tokenRequests!.length;
    try {
      assert.equal(
        await repo(c, registry, 'me/mounted', creds).mountBlob(image.layers[0]!.digest as Digest, 'library/base'),
        true,
      );
    } finally {
      await c.close();
    }
    assert.deepEqual(tokenRequestsSince(before)[0]?.scopes, [
      'repository:library/base:pull',
      'repository:me/mounted:pull,push',
    ]);
  });

  test('reuses a token for the same scopes instead of asking again', async () => {
    const c = client(registry);
    const before = registry.tokenRequests!.length;
    try {
      const r = repo(c, registry, 'library/base', creds);
      await Promise.all([r.getManifest('v1'), r.resolve('v1'), r.hasBlob(image.layers[0]!.digest as Digest)]);
      await r.getManifest(image.digest);
    } finally {
      await c.close();
    }
    assert.equal(tokenRequestsSince(before).length, 1);
  });

  test('wrong credentials are unauthorized and the message names the repository', async () => {
    const c = client(registry);
    try {
      await assert.rejects(
        repo(c, registry, 'library/base', { username: 'berth', password: 'nope' }).getManifest('v1'),
        (e) => {
          assert.ok(isBerthError(e, 'unauthorized'));
          assert.match(e.message, new RegExp(`${registry.host}/library/base: .*incorrect username or password`));
          return true;
        },
      );
    } finally {
      await c.close();
    }
  });

  test('login returns an identity token that later authenticates by itself with an OAuth2 refresh', async () => {
    const c = client(registry);
    try {
      const { identityToken } = await c.login(registry.host, creds);
      assert.ok(identityToken);
      const before = registry.tokenRequests!.length;
      const data = randomBytes(100);
      await repo(c, registry, 'me/identity', { identityToken }).uploadBlob(blob(data), () => Readable.from([data]));
      const asked = tokenRequestsSince(before)[0];
      assert.equal(asked?.method, 'POST');
      assert.equal(asked?.grantType, 'refresh_token');
      await assert.rejects(c.login(registry.host, { username: 'berth', password: 'nope' }), (e) =>
        isBerthError(e, 'unauthorized'),
      );
    } finally {
      await c.close();
    }
  });
});

describe('the registry client with a token server that refuses anonymous pulls', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ mode: 'token', anonymousPull: false });
    await pushImage(registry, 'private/app', 'v1', { layers: [layerTar()] });
  });
  after(() => registry.stop());

  test('an anonymous pull is unauthorized', async () => {
    const c = client(registry);
    try {
      await assert.rejects(repo(c, registry, 'private/app').getManifest('v1'), (e) => isBerthError(e, 'unauthorized'));
    } finally {
      await c.close();
    }
  });
});

describe('the registry client against a registry that requires a client certificate', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ tls: true, clientCertificates: true });
    await pushImage(registry, 'secure/app', 'v1', { layers: [layerTar()] });
  });
  after(() => registry.stop());

  test('the client certificate pair from certs.d is presented', async () => {
    const c = client(registry);
    try {
      assert.ok((await repo(c, registry, 'secure/app').getManifest('v1')).digest);
    } finally {
      await c.close();
    }
  });

  test('without the client certificate the registry is unavailable', async () => {
    const onlyCa = await mkdtemp(join(tmpdir(), 'berth-certs-'));
    await mkdir(join(onlyCa, registry.host));
    await copyFile(registry.caFile!, join(onlyCa, registry.host, 'ca.crt'));
    const c = createRegistryClient({
      certsDirs: [onlyCa],
      insecureRegistries: [],
      mirrors: [],
      userAgent: 't',
      ...fast,
    });
    try {
      await assert.rejects(repo(c, registry, 'secure/app').getManifest('v1'), (e) => isBerthError(e, 'unavailable'));
    } finally {
      await c.close();
      await rm(onlyCa, { recursive: true, force: true });
    }
  });
});
