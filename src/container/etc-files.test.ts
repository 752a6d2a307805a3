import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeEtcFiles } from './etc-files.js';

describe('/etc files of a container', () => {
  test('hosts names the container at its address, with --add-host entries and host-gateway as the gateway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etc-'));
    try {
      const files = await writeEtcFiles(
        dir,
        'box',
        { ExtraHosts: ['db:10.0.0.9', 'gw:host-gateway'] },
        {
          address: '172.18.0.2',
          gateway: '172.18.0.1',
        },
      );
      const hosts = await readFile(files.hosts!, 'utf8');
      assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
      assert.match(hosts, /^10\.0\.0\.9\tdb$/m);
      assert.match(hosts, /^172\.18\.0\.1\tgw$/m);
      assert.match(hosts, /^172\.18\.0\.2\tbox\n$/m);
      assert.equal(await readFile(files.hostname!, 'utf8'), 'box\n');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('resolv.conf points at the network responder first and keeps --dns, --dns-search, --dns-option', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etc-'));
    try {
      const files = await writeEtcFiles(
        dir,
        'box',
        { Dns: ['10.9.9.9'], DnsSearch: ['example.test'], DnsOptions: ['ndots:2'] },
        { dnsServer: '172.18.0.1' },
      );
      assert.equal(
        await readFile(files.resolvConf!, 'utf8'),
        'nameserver 172.18.0.1\nnameserver 10.9.9.9\nsearch example.test\noptions ndots:2\n',
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('without a responder or --dns, resolv.conf has no loopback resolver', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etc-'));
    try {
      const files = await writeEtcFiles(dir, 'box');
      assert.doesNotMatch(await readFile(files.resolvConf!, 'utf8'), /nameserver (127\.|::1)/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
