import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../kernel/index.js';
import { DEFAULT_HOST, parseHost, resolveHost } from './host.js';

describe('resolveHost', () => {
  const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d.sock' };
  test('the flag wins', () => assert.equal(resolveHost('unix:///f.sock', env), 'unix:///f.sock'));
  test('then BERTH_HOST', () => assert.equal(resolveHost(undefined, env), 'unix:///b.sock'));
  test('then DOCKER_HOST', () =>
    assert.equal(resolveHost(undefined, { DOCKER_HOST: 'unix:///d.sock' }), 'unix:///d.sock'));
  test('empty variables are skipped', () =>
    assert.equal(resolveHost(undefined, { BERTH_HOST: '', DOCKER_HOST: ' ' }), DEFAULT_HOST));
  test('then the default socket', () => assert.equal(resolveHost(undefined, {}), 'unix:///run/berth/berth.sock'));
});

describe('parseHost', () => {
  const cases: Array<[string, unknown]> = [
    ['unix:///run/berth/berth.sock', { socketPath: '/run/berth/berth.sock' }],
    ['/tmp/x.sock', { socketPath: '/tmp/x.sock' }],
    ['tcp://127.0.0.1:2376', { host: '127.0.0.1', port: 2376 }],
    ['tcp://localhost', { host: 'localhost', port: 2375 }],
    ['tcp://[::1]:9000', { host: '::1', port: 9000 }],
  ];
  for (const [host, want] of cases) test(`${host} is understood`, () => assert.deepEqual(parseHost(host), want));

  for (const bad of ['ssh://me@host', 'npipe:////./pipe/x', 'unix://', 'localhost:2375', 'tcp://h:1/path']) {
    test(`${bad} is refused`, () =>
      assert.throws(
        () => parseHost(bad),
        (e: unknown) => isBerthError(e, 'invalid-argument'),
      ));
  }
});
