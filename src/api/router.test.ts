import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBerthError } from '../kernel/index.js';
import { API_VERSION, compareApiVersions } from './api-version.js';
import { noContent } from './replies.js';
import { createRouter, route, type Route } from './router.js';

const handler = () => noContent();
const ROUTES: Route[] = [
  route('GET', '/_ping', handler),
  route('HEAD', '/_ping', handler),
  route('GET', '/images/json', handler),
  route('GET', '/images/get', handler),
  route('GET', '/images/{name}/json', handler),
  route('GET', '/images/{name}/history', handler),
  route('GET', '/images/{name}/get', handler),
  route('POST', '/images/{name}/tag', handler),
  route('POST', '/images/{name}/push', handler),
  route('DELETE', '/images/{name}', handler),
  route('GET', '/containers/{name}/json', handler),
  route('GET', '/containers/json', handler),
  route('GET', '/containers/{name}/attach/ws', handler),
];
const router = createRouter(ROUTES);

type Row = [
  method: string,
  path: string,
  expected:
    { route: string; params?: Record<string, string>; version?: string } | { status: 400 | 404; message: string },
];

const TOO_OLD =
  'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version';
const TOO_NEW = (v: string) => `client version ${v} is too new. Maximum supported API version is ${API_VERSION}`;

const ROWS: Row[] = [
  ['GET', '/_ping', { route: 'GET /_ping', params: {}, version: API_VERSION }],
  ['HEAD', '/_ping', { route: 'HEAD /_ping' }],
  ['GET', '/v1.41/_ping', { route: 'GET /_ping', version: '1.41' }],
  ['GET', '/v1.24/_ping', { route: 'GET /_ping', version: '1.24' }],
  ['GET', `/v${API_VERSION}/_ping`, { route: 'GET /_ping', version: API_VERSION }],
  ['GET', '/v1.99/_ping', { status: 400, message: TOO_NEW('1.99') }],
  ['GET', '/v1.50/_ping', { status: 400, message: TOO_NEW('1.50') }],
  ['GET', '/v1.12/_ping', { status: 400, message: TOO_OLD }],
  // Docker matches the route before checking the version.
  ['GET', '/v1.99/nothing', { status: 404, message: 'page not found' }],
  ['GET', '/v1.41', { status: 404, message: 'page not found' }],
  ['GET', '/images/json', { route: 'GET /images/json', params: {} }],
  ['GET', '/images/get', { route: 'GET /images/get', params: {} }],
  ['GET', '/images/busybox/json', { route: 'GET /images/{name}/json', params: { name: 'busybox' } }],
  [
    'GET',
    '/images/localhost:5000/a/b:tag/json',
    { route: 'GET /images/{name}/json', params: { name: 'localhost:5000/a/b:tag' } },
  ],
  [
    'GET',
    '/v1.41/images/a/b/history',
    { route: 'GET /images/{name}/history', params: { name: 'a/b' }, version: '1.41' },
  ],
  ['GET', '/images/reg.io/x/get', { route: 'GET /images/{name}/get', params: { name: 'reg.io/x' } }],
  ['GET', '/images/a/json/history', { route: 'GET /images/{name}/history', params: { name: 'a/json' } }],
  [
    'POST',
    '/images/localhost:5000/a/b:tag/tag',
    { route: 'POST /images/{name}/tag', params: { name: 'localhost:5000/a/b:tag' } },
  ],
  ['POST', '/images/a/b/push', { route: 'POST /images/{name}/push', params: { name: 'a/b' } }],
  [
    'DELETE',
    '/images/localhost:5000/a/b:tag',
    { route: 'DELETE /images/{name}', params: { name: 'localhost:5000/a/b:tag' } },
  ],
  ['DELETE', '/images/sha256:abc', { route: 'DELETE /images/{name}', params: { name: 'sha256:abc' } }],
  ['GET', '/containers/json', { route: 'GET /containers/json', params: {} }],
  ['GET', '/containers/web/json', { route: 'GET /containers/{name}/json', params: { name: 'web' } }],
  ['GET', '/containers/web/attach/ws', { route: 'GET /containers/{name}/attach/ws', params: { name: 'web' } }],
  ['GET', '/images//json', { status: 404, message: 'page not found' }],
  ['DELETE', '/images/', { status: 404, message: 'page not found' }],
  // Docker has no 405: an unknown method and path is simply not found.
  ['PUT', '/_ping', { status: 404, message: 'page not found' }],
  ['HEAD', '/images/json', { status: 404, message: 'page not found' }],
  ['BREW', '/_ping', { status: 404, message: 'page not found' }],
];

describe('router', () => {
  for (const [method, path, expected] of ROWS) {
    const label = 'route' in expected ? `routes to ${expected.route}` : `answers ${expected.status}`;
    test(`${method} ${path} ${label}`, () => {
      if ('status' in expected) {
        assert.throws(
          () => router.match(method, path),
          (e: unknown) =>
            isBerthError(e, expected.status === 404 ? 'not-found' : 'invalid-argument') &&
            e.message === expected.message,
        );
        return;
      }
      const m = router.match(method, path);
      assert.equal(`${m.route.method} ${m.route.path}`, expected.route);
      if (expected.params) assert.deepEqual(m.params, expected.params);
      if (expected.version) assert.equal(m.apiVersion, expected.version);
    });
  }

  test('a literal route wins over a pattern whatever the declaration order', () => {
    const r = createRouter([route('GET', '/networks/{id}', handler), route('GET', '/networks/prune', handler)]);
    assert.equal(r.match('GET', '/networks/prune').route.path, '/networks/prune');
    assert.equal(r.match('GET', '/networks/n1').route.path, '/networks/{id}');
  });

  test('the route with the longer literal tail wins between patterns', () => {
    const r = createRouter([
      route('DELETE', '/plugins/{name}', handler),
      route('DELETE', '/plugins/{name}/x', handler),
    ]);
    assert.deepEqual(r.match('DELETE', '/plugins/a/b/x').params, { name: 'a/b' });
    assert.equal(r.match('DELETE', '/plugins/a/b/x').route.path, '/plugins/{name}/x');
  });

  test('declaring the same method and path twice is a programming error', () => {
    assert.throws(
      () => createRouter([route('GET', '/x', handler), route('GET', '/x', handler)]),
      /route declared twice: GET \/x/,
    );
  });

  test('route() types the path parameters from the pattern', () => {
    // The check is the compiler's: `ctx.params.id` is a string, not string | undefined.
    const r = route('GET', '/exec/{id}/json', (ctx) => {
      const id: string = ctx.params.id;
      return id === '' ? noContent() : noContent();
    });
    assert.equal(r.path, '/exec/{id}/json');
  });
});

describe('compareApiVersions', () => {
  const rows: [string, string, number][] = [
    ['1.24', '1.24', 0],
    ['1.9', '1.10', -1],
    ['1.41', '1.4', 1],
    ['1.47', '1.47.0', 0],
    ['2', '1.99', 1],
  ];
  for (const [a, b, sign] of rows) {
    test(`orders ${a} and ${b} numerically`, () => {
      assert.equal(Math.sign(compareApiVersions(a, b)), sign);
    });
  }
});
