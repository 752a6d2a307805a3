import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFrom, pullName } from './distribution.js';

describe('pull query', () => {
  const cases: [string, string | undefined, string][] = [
    ['busybox', undefined, 'busybox'],
    ['busybox', '', 'busybox'],
    ['busybox', '1.36', 'busybox:1.36'],
    ['127.0.0.1:5000/x', 'v1', '127.0.0.1:5000/x:v1'],
    ['busybox', `sha256:${'a'.repeat(64)}`, `busybox@sha256:${'a'.repeat(64)}`],
  ];
  for (const [fromImage, tag, name] of cases) {
    test(`fromImage=${fromImage} tag=${tag ?? '(none)'} pulls ${name}`, () =>
      assert.equal(pullName(fromImage, tag), name));
  }
});

describe('X-Registry-Auth credentials', () => {
  test('no header means anonymous', () => assert.equal(credentialsFrom(undefined), undefined));
  test('an empty AuthConfig means anonymous', () => assert.equal(credentialsFrom({ serveraddress: 'x' }), undefined));
  test('username and password pass through', () =>
    assert.deepEqual(credentialsFrom({ username: 'u', password: 'p' }), { username: 'u', password: 'p' }));
  test('auth (base64 user:password, as config.json keeps it) is split at the first colon', () =>
    assert.deepEqual(credentialsFrom({ auth: Buffer.from('u:p:q').toString('base64') }), {
      username: 'u',
      password: 'p:q',
    }));
  test('tokens pass through', () =>
    assert.deepEqual(credentialsFrom({ identitytoken: 'i', registrytoken: 'r' }), {
      identityToken: 'i',
      registryToken: 'r',
    }));
});
