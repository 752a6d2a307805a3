import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { readHostTls } from './tls.js';

describe('readHostTls', () => {
  let root: string;
  const dir = (name: string) => join(root, name);
  const files = async (base: string, host: string, entries: Record<string, string>) => {
    await mkdir(join(base, host), { recursive: true });
    for (const [name, content] of Object.entries(entries)) await writeFile(join(base, host, name), content);
  };
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'berth-tls-'));
    await files(dir('a'), 'reg:5000', {
      'ca.crt': 'CA-A',
      'extra.crt': 'CA-B',
      'client.cert': 'CERT',
      'client.key': 'KEY',
      'notes.txt': 'x',
    });
    await files(dir('b'), 'reg:5000', { 'ca.crt': 'CA-C', 'other.cert': 'CERT2', 'other.key': 'KEY2' });
    await files(dir('c'), 'broken:5000', { 'client.cert': 'CERT' });
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('a host with no directory anywhere gets Node\u2019s defaults', async () => {
    assert.deepEqual(await readHostTls([dir('a'), dir('missing')], 'elsewhere:443'), {});
  });

  test('every .crt of every directory is added to the system roots, and the first client pair wins', async () => {
    const tls = await readHostTls([dir('a'), dir('b')], 'reg:5000');
    assert.deepEqual(tls.ca, [...rootCertificates, 'CA-A', 'CA-B', 'CA-C']);
    assert.equal(tls.cert?.toString(), 'CERT');
    assert.equal(tls.key?.toString(), 'KEY');
  });

  test('a client certificate without its key is an error naming the missing file', async () => {
    await assert.rejects(readHostTls([dir('c')], 'broken:5000'), /missing key client\.key/);
  });
});
