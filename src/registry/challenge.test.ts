import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseChallenges, type Challenge } from './challenge.js';

describe('parseChallenges', () => {
  const cases: [string, string | string[] | undefined, Challenge[]][] = [
    ['no header gives no challenge', undefined, []],
    ['an empty header gives no challenge', '', []],
    [
      'a basic challenge keeps its realm',
      'Basic realm="Registry Realm"',
      [{ scheme: 'basic', params: { realm: 'Registry Realm' } }],
    ],
    [
      'a bearer challenge keeps realm, service and a scope holding commas and colons',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/busybox:pull,push',
          },
        },
      ],
    ],
    [
      'scheme and parameter names are case-insensitive and spaces around = are allowed',
      'BEARER Realm = "https://r/token" , Service=svc',
      [{ scheme: 'bearer', params: { realm: 'https://r/token', service: 'svc' } }],
    ],
    [
      'backslash escapes inside quoted strings are undone',
      'Bearer realm="a\\"b",error="insufficient_scope"',
      [{ scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } }],
    ],
    [
      'two challenges in one header are both returned',
      'Basic realm="x", Bearer realm="https://t",service="s"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://t', service: 's' } },
      ],
    ],
    [
      'repeated headers are parsed each',
      ['Basic realm="x"', 'Bearer realm="y"'],
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'y' } },
      ],
    ],
    [
      'an unterminated quoted string ends the value',
      'Bearer realm="https://t',
      [{ scheme: 'bearer', params: { realm: 'https://t' } }],
    ],
  ];
  for (const [name, header, expected] of cases) {
    test(name, () => assert.deepEqual(parseChallenges(header), expected));
  }
});
