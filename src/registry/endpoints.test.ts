import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBerthError } from '../kernel/index.js';
import { isConfiguredInsecure, isLoopback, loginDomain, registryEndpoints } from './endpoints.js';

const none = { insecureRegistries: [], mirrors: [] };

describe('registryEndpoints', () => {
  const cases: [string, string, { insecureRegistries: string[]; mirrors: string[] }, string[]][] = [
    ['a public registry is HTTPS only', 'ghcr.io', none, ['https://ghcr.io (verify)']],
    ['docker.io is reached at registry-1.docker.io', 'docker.io', none, ['https://registry-1.docker.io (verify)']],
    [
      'docker.io mirrors come first, without a trailing slash',
      'docker.io',
      { insecureRegistries: [], mirrors: ['https://mirror.example/'] },
      ['https://mirror.example (verify, mirror)', 'https://registry-1.docker.io (verify)'],
    ],
    [
      'mirrors are for docker.io only',
      'quay.io',
      { insecureRegistries: [], mirrors: ['https://mirror.example'] },
      ['https://quay.io (verify)'],
    ],
    [
      'a loopback address may fall back to plain HTTP, TLS still verified',
      '127.0.0.1:5000',
      none,
      ['https://127.0.0.1:5000 (verify)', 'http://127.0.0.1:5000'],
    ],
    [
      'localhost may fall back to plain HTTP',
      'localhost:5000',
      none,
      ['https://localhost:5000 (verify)', 'http://localhost:5000'],
    ],
    ['any 127/8 address is loopback', '127.1.2.3', none, ['https://127.1.2.3 (verify)', 'http://127.1.2.3']],
    [
      'IPv6 loopback may fall back to plain HTTP',
      '[::1]:5000',
      none,
      ['https://[::1]:5000 (verify)', 'http://[::1]:5000'],
    ],
    [
      'a registry configured insecure skips verification, then plain HTTP',
      'reg.lan:5000',
      { insecureRegistries: ['reg.lan:5000'], mirrors: [] },
      ['https://reg.lan:5000', 'http://reg.lan:5000'],
    ],
    [
      'an address inside an insecure CIDR is insecure',
      '10.1.2.3:5000',
      { insecureRegistries: ['10.0.0.0/8'], mirrors: [] },
      ['https://10.1.2.3:5000', 'http://10.1.2.3:5000'],
    ],
    ['a private address not configured stays HTTPS only', '10.1.2.3:5000', none, ['https://10.1.2.3:5000 (verify)']],
  ];
  for (const [name, domain, policy, expected] of cases) {
    test(name, () => {
      const shown = registryEndpoints(domain, policy).map((e) => {
        const flags = [e.url.startsWith('https:') && e.verifyTls ? 'verify' : '', e.mirror ? 'mirror' : ''].filter(
          Boolean,
        );
        return flags.length > 0 ? `${e.url} (${flags.join(', ')})` : e.url;
      });
      assert.deepEqual(shown, expected);
    });
  }

  test('a reference without a domain is refused', () => {
    assert.throws(
      () => registryEndpoints('', none),
      (e) => isBerthError(e, 'invalid-argument'),
    );
  });
});

describe('isLoopback', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.255.0.1', true],
    ['::1', true],
    ['localhost', true],
    ['128.0.0.1', false],
    ['127.example.com', false],
    ['10.0.0.1', false],
  ];
  for (const [host, expected] of cases)
    test(`${host} is ${expected ? '' : 'not '}loopback`, () => assert.equal(isLoopback(host), expected));
});

describe('isConfiguredInsecure', () => {
  const cases: [string, string, string[], boolean][] = [
    ['an exact host:port entry matches', 'reg:5000', ['reg:5000'], true],
    ['a scheme in the entry is ignored', 'reg:5000', ['http://reg:5000/'], true],
    ['a host without the port does not match host:port', 'reg:5000', ['reg'], false],
    ['an IPv4 CIDR matches an address inside it', '192.168.1.7:5000', ['192.168.0.0/16'], true],
    ['an IPv4 CIDR does not match one outside it', '192.169.1.7:5000', ['192.168.0.0/16'], false],
    ['an IPv6 CIDR matches an address inside it', '[fd00::5]:5000', ['fd00::/8'], true],
    ['a CIDR never matches a host name', 'reg.lan:5000', ['0.0.0.0/0'], false],
    ['a malformed CIDR matches nothing', '10.0.0.1', ['10.0.0.0/99'], false],
  ];
  for (const [name, domain, entries, expected] of cases)
    test(name, () => assert.equal(isConfiguredInsecure(domain, entries), expected));
});

describe('loginDomain', () => {
  const cases: [string, string][] = [
    ['https://index.docker.io/v1/', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://127.0.0.1:5000/', '127.0.0.1:5000'],
    ['ghcr.io', 'ghcr.io'],
  ];
  for (const [address, domain] of cases)
    test(`${address} logs in to ${domain}`, () => assert.equal(loginDomain(address), domain));
});
