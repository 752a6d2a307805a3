import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestDaemon } from '../support/daemon.js';
import { idOf, imageId, pushBusybox, startRegistryDaemon } from '../support/distribution.js';
import { startRegistry, type PushedImage, type TestRegistry } from '../support/registry.js';

/** Tests for one auth mode: login with the docker CLI and with berth, wrong password, pull and push. */
function authSuite(mode: 'htpasswd' | 'token'): void {
  let registry: TestRegistry;
  let d: TestDaemon;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry({ mode, tls: true, anonymousPull: false });
    d = await startRegistryDaemon(['--certs-dir', registry.certsDir!]);
    image = await pushBusybox(registry, 'private/busybox');
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('a pull without credentials is refused as unauthorized', async () => {
    const pull = await d.docker(['pull', `${registry.host}/private/busybox`]);
    assert.notEqual(pull.code, 0);
    assert.match(pull.stderr, /unauthorized|authentication required/i);
  });

  test('docker login with a wrong password fails with unauthorized and stores nothing', async () => {
    const login = await d.docker(['login', '-u', registry.username!, '--password-stdin', registry.host], {
      input: 'wrong-password\n',
    });
    assert.notEqual(login.code, 0);
    assert.match(login.stderr, /unauthorized/i);
    const config = await readFile(join(d.env.DOCKER_CONFIG!, 'config.json'), 'utf8').catch(() => '{}');
    assert.doesNotMatch(config, new RegExp(registry.host.replace(/\./g, '\\.')));
  });

  test('docker login succeeds, then docker pull and push use the stored credentials', async () => {
    const login = await d.docker(['login', '-u', registry.username!, '--password-stdin', registry.host], {
      input: `${registry.password}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    const name = `${registry.host}/private/busybox`;
    const pull = await d.docker(['pull', name]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.equal(await imageId(d, name), idOf(image));
    assert.equal((await d.docker(['tag', name, `${registry.host}/private/copy:v1`])).code, 0);
    const push = await d.docker(['push', `${registry.host}/private/copy:v1`]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /v1: digest: sha256:/);
    assert.equal((await d.docker(['logout', registry.host])).code, 0);
  });

  test('berth login writes the docker config, berth push uses it, berth logout removes it', async () => {
    const login = await d.berth(['login', '-u', registry.username!, '--password-stdin', registry.host], {
      input: `${registry.password}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    const config = JSON.parse(await readFile(join(d.env.DOCKER_CONFIG!, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth?: string }>;
    };
    assert.ok(config.auths[registry.host], JSON.stringify(config));
    const name = `${registry.host}/private/busybox`;
    assert.equal((await d.berth(['tag', name, `${registry.host}/private/berth:v1`])).code, 0);
    const push = await d.berth(['push', `${registry.host}/private/berth:v1`]);
    assert.equal(push.code, 0, push.stderr);
    const logout = await d.berth(['logout', registry.host]);
    assert.equal(logout.stdout, `Removing login credentials for ${registry.host}\n`);
    const denied = await d.berth(['push', `${registry.host}/private/berth:v1`]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /unauthorized|authentication required/i);
  });

  test('berth login with a wrong password fails with unauthorized', async () => {
    const login = await d.berth(['login', '-u', registry.username!, '-p', 'nope', registry.host]);
    assert.notEqual(login.code, 0);
    assert.match(login.stderr, /unauthorized/i);
  });
}

describe('a registry with htpasswd basic auth over TLS with a test CA', () => authSuite('htpasswd'));
describe('a registry with the bearer-token flow', () => authSuite('token'));

describe('a registry whose CA berthd does not know', () => {
  let registry: TestRegistry;
  let d: TestDaemon;
  before(async () => {
    registry = await startRegistry({ mode: 'htpasswd', tls: true });
    d = await startRegistryDaemon();
  });
  after(async () => {
    await d?.stop();
    await registry?.stop();
  });

  test('a login fails with a TLS error that says where the CA goes', async () => {
    const login = await d.docker(['login', '-u', registry.username!, '--password-stdin', registry.host], {
      input: `${registry.password}\n`,
    });
    assert.notEqual(login.code, 0);
    assert.match(login.stderr, /certs\.d|certificate|TLS/i);
  });
});
