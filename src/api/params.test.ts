import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBerthError } from '../kernel/index.js';
import { parseFilters } from './filters.js';
import { createQuery, decodeRegistryAuth, decodeRegistryConfig } from './params.js';

const q = (s: string) => createQuery(new URLSearchParams(s));
const isInvalid = (message: string | RegExp) => (e: unknown) =>
  isBerthError(e, 'invalid-argument') &&
  (typeof message === 'string' ? e.message === message : message.test(e.message));

describe('query.bool', () => {
  const rows: [string, boolean][] = [
    ['all=1', true],
    ['all=true', true],
    ['all=True', true],
    ['all=yes', true],
    ['all=0', false],
    ['all=false', false],
    ['all=FALSE', false],
    ['all=', false],
    ['all=no', false],
    ['all=none', false],
    ['all=%200%20', false],
  ];
  for (const [search, expected] of rows) {
    test(`reads ?${search} as ${expected}`, () => assert.equal(q(search).bool('all'), expected));
  }
  test('uses the fallback only when the parameter is absent', () => {
    assert.equal(q('').bool('all', true), true);
    assert.equal(q('all=0').bool('all', true), false);
  });
});

describe('query values', () => {
  test('string is undefined when absent and decodes + and %XX', () => {
    assert.equal(q('').string('tag'), undefined);
    assert.equal(q('tag=a+b%2Fc').string('tag'), 'a b/c');
  });
  test('strings returns every value of a repeated parameter', () => {
    assert.deepEqual(q('platform=linux/amd64&platform=linux/arm64').strings('platform'), [
      'linux/amd64',
      'linux/arm64',
    ]);
  });
  test('int parses integers and rejects anything else', () => {
    assert.equal(q('t=10').int('t'), 10);
    assert.equal(q('t=-1').int('t'), -1);
    assert.equal(q('t=').int('t'), undefined);
    assert.equal(q('').int('t'), undefined);
    for (const bad of ['1.5', 'ten', '1e3', '99999999999999999999']) {
      assert.throws(() => q(`t=${bad}`).int('t'), isInvalid(/query parameter t/));
    }
  });
  test('json parses the value and reports bad JSON as invalid-argument', () => {
    assert.deepEqual(q(`buildargs=${encodeURIComponent('{"A":"1"}')}`).json('buildargs'), { A: '1' });
    assert.equal(q('buildargs=').json('buildargs'), undefined);
    assert.throws(() => q('buildargs={').json('buildargs'), isInvalid(/invalid JSON in query parameter buildargs/));
  });
});

describe('filters', () => {
  test('the map form and the legacy list form parse to the same values', () => {
    const current = parseFilters('{"label":{"a=1":true,"b":true},"dangling":{"true":true}}');
    const legacy = parseFilters('{"label":["a=1","b"],"dangling":["true"]}');
    for (const f of [current, legacy]) {
      assert.deepEqual(f.get('label'), ['a=1', 'b']);
      assert.equal(f.bool('dangling', false), true);
      assert.deepEqual(f.keys(), ['label', 'dangling']);
      assert.equal(f.size, 2);
    }
  });
  test('an absent key has no values and a value set to false is not a value', () => {
    const f = parseFilters('{"reference":{"busybox":true,"alpine":false}}');
    assert.deepEqual(f.get('reference'), ['busybox']);
    assert.deepEqual(f.get('label'), []);
    assert.equal(f.has('label'), false);
  });
  test('absent or empty filters are no filters', () => {
    assert.equal(parseFilters(undefined).size, 0);
    assert.equal(parseFilters('').size, 0);
    assert.equal(q('').filters(['label']).size, 0);
  });
  test('a key outside the accepted set is rejected in Docker words', () => {
    assert.throws(
      () => q(`filters=${encodeURIComponent('{"x":["1"]}')}`).filters(['label', 'dangling']),
      isInvalid("invalid filter 'x'"),
    );
  });
  test('undecodable filters are rejected', () => {
    for (const bad of ['{', '[]', '"s"', '{"k":"v"}', '{"k":[1]}', '{"k":{"v":"yes"}}']) {
      assert.throws(() => parseFilters(bad), isInvalid('invalid filter'), bad);
    }
  });
  test('a boolean filter with a contradictory or non-boolean value is rejected', () => {
    assert.throws(
      () => parseFilters('{"dangling":["true","false"]}').bool('dangling', false),
      isInvalid("invalid filter 'dangling=[true false]'"),
    );
    assert.throws(
      () => parseFilters('{"dangling":["maybe"]}').bool('dangling', false),
      isInvalid(/invalid filter 'dangling/),
    );
    assert.equal(parseFilters('{"dangling":["0"]}').bool('dangling', true), false);
    assert.equal(parseFilters('{}').bool('dangling', true), true);
  });
  test('toMap is a copy the caller may change', () => {
    const f = parseFilters('{"label":["a"]}');
    f.toMap().get('label')?.push('b');
    assert.deepEqual(f.get('label'), ['a']);
  });
});

describe('registry auth headers', () => {
  const auth = { username: 'u', password: 'p+/?', serveraddress: 'localhost:5000' };
  test('decodes base64url JSON as sent by the docker CLI', () => {
    const header = Buffer.from(JSON.stringify(auth)).toString('base64url');
    assert.deepEqual(decodeRegistryAuth(header), auth);
  });
  test('also decodes standard base64 with padding', () => {
    assert.deepEqual(decodeRegistryAuth(Buffer.from(JSON.stringify(auth)).toString('base64')), auth);
  });
  test('keeps only known string fields', () => {
    const header = Buffer.from(JSON.stringify({ username: 'u', extra: 'x', password: 3 })).toString('base64url');
    assert.deepEqual(decodeRegistryAuth(header), { username: 'u' });
  });
  test('an absent or undecodable header means no credentials, as in Docker', () => {
    assert.equal(decodeRegistryAuth(undefined), undefined);
    assert.equal(decodeRegistryAuth(''), undefined);
    assert.equal(decodeRegistryAuth('not base64 json!'), undefined);
  });
  test('X-Registry-Config maps registry hosts to credentials', () => {
    const header = Buffer.from(JSON.stringify({ 'localhost:5000': auth, bad: 'x' })).toString('base64url');
    assert.deepEqual([...decodeRegistryConfig(header)], [['localhost:5000', auth]]);
  });
});
