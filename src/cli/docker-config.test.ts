import { mkdtemp, readFile, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOCKER_HUB_KEY,
  encodeRegistryAuth,
  eraseCredentials,
  loadCredentials,
  registryKey,
  registryKeyOfImage,
  storeCredentials,
} from './docker-config.js';

describe('registry keys', () => {
  const cases: [string | undefined, string][] = [
    [undefined, DOCKER_HUB_KEY],
    ['docker.io', DOCKER_HUB_KEY],
    ['index.docker.io', DOCKER_HUB_KEY],
    ['https://index.docker.io/v1/', DOCKER_HUB_KEY],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['https://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['ghcr.io', 'ghcr.io'],
  ];
  for (const [server, key] of cases) {
    test(`a login to ${server ?? '(default)'} is stored under ${key}`, () => assert.equal(registryKey(server), key));
  }
  const images: [string, string][] = [
    ['busybox', DOCKER_HUB_KEY],
    ['user/app:1', DOCKER_HUB_KEY],
    ['localhost/app', 'localhost'],
    ['127.0.0.1:5000/busybox', '127.0.0.1:5000'],
    ['ghcr.io/org/app@sha256:abc', 'ghcr.io'],
  ];
  for (const [image, key] of images) {
    test(`image ${image} takes credentials of ${key}`, () => assert.equal(registryKeyOfImage(image), key));
  }
});

describe('config.json', () => {
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-dc-'));
    env = { DOCKER_CONFIG: dir, PATH: `${dir}/bin:${process.env.PATH ?? ''}` };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('stored credentials are written as docker does and read back', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ psFormat: 'table {{.ID}}' }));
    await storeCredentials(env, '127.0.0.1:5000', { username: 'u', password: 'p:w' });
    const file = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(file.psFormat, 'table {{.ID}}');
    assert.deepEqual(file.auths, { '127.0.0.1:5000': { auth: Buffer.from('u:p:w').toString('base64') } });
    assert.deepEqual(await loadCredentials(env, 'https://127.0.0.1:5000'), {
      serveraddress: '127.0.0.1:5000',
      username: 'u',
      password: 'p:w',
    });
  });

  test('an identity token is kept instead of the password', async () => {
    await storeCredentials(env, 'reg.example', { username: 'u', identitytoken: 'tok' });
    const auth = await loadCredentials(env, 'reg.example');
    assert.equal(auth?.identitytoken, 'tok');
    assert.equal(auth?.password, '');
  });

  test('logout removes the entry and says when there was none', async () => {
    assert.equal(await eraseCredentials(env, '127.0.0.1:5000'), true);
    assert.equal(await loadCredentials(env, '127.0.0.1:5000'), undefined);
    assert.equal(await eraseCredentials(env, '127.0.0.1:5000'), false);
  });

  test('a credential helper named in credHelpers is asked through its protocol', async () => {
    await mkdir(join(dir, 'bin'), { recursive: true });
    const helper = join(dir, 'bin', 'docker-credential-berthtest');
    const store = join(dir, 'helper-store.json');
    await writeFile(
      helper,
      `#!/bin/sh
input=$(cat)
case "$1" in
  store) printf '%s' "$input" > ${store} ;;
  get) if [ -f ${store} ]; then cat ${store}; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f ${store} ;;
esac
`,
    );
    await chmod(helper, 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'helper.example': 'berthtest' } }));
    assert.equal(await loadCredentials(env, 'helper.example'), undefined);
    await storeCredentials(env, 'helper.example', { username: 'hu', password: 'hp' });
    assert.deepEqual(JSON.parse(await readFile(store, 'utf8')), {
      ServerURL: 'helper.example',
      Username: 'hu',
      Secret: 'hp',
    });
    assert.deepEqual(await loadCredentials(env, 'helper.example'), {
      username: 'hu',
      password: 'hp',
      serveraddress: 'helper.example',
    });
    assert.equal(await eraseCredentials(env, 'helper.example'), true);
    assert.equal(await loadCredentials(env, 'helper.example'), undefined);
  });

  test('X-Registry-Auth is base64url JSON', () => {
    const header = encodeRegistryAuth({ username: 'u', password: 'p' });
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { username: 'u', password: 'p' });
  });
});
