import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError, type Digest } from '../kernel/index.js';
import {
  familiarName,
  familiarString,
  fullName,
  parseReference,
  parseRepositoryName,
  referenceString,
  withDefaultTag,
  withTag,
  type Reference,
} from './index.js';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}` as Digest;

describe('parseReference', () => {
  const good: [input: string, expected: Reference][] = [
    ['busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['busybox:1.36', { domain: 'docker.io', path: 'library/busybox', tag: '1.36' }],
    ['user/app', { domain: 'docker.io', path: 'user/app' }],
    ['docker.io/busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['docker.io/library/busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['index.docker.io/busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['index.docker.io/user/app:v1', { domain: 'docker.io', path: 'user/app', tag: 'v1' }],
    ['localhost/x', { domain: 'localhost', path: 'x' }],
    ['localhost:5000/x', { domain: 'localhost:5000', path: 'x' }],
    ['127.0.0.1:5000/a/b:t', { domain: '127.0.0.1:5000', path: 'a/b', tag: 't' }],
    ['registry:5000/ns/x:1.0', { domain: 'registry:5000', path: 'ns/x', tag: '1.0' }],
    ['[::1]:5000/x', { domain: '[::1]:5000', path: 'x' }],
    ['Example.COM/x', { domain: 'Example.COM', path: 'x' }],
    ['Foo/bar', { domain: 'Foo', path: 'bar' }],
    ['a.b-c_d__e', { domain: 'docker.io', path: 'library/a.b-c_d__e' }],
    ['ns/a.b-c_d__e/f---g', { domain: 'docker.io', path: 'ns/a.b-c_d__e/f---g' }],
    // A first component with a dot that is not a valid host: Docker keeps the
    // whole string as a domain-less path.
    ['a.b-c_d__e/f', { domain: '', path: 'a.b-c_d__e/f' }],
    ['x:Tag_1.-x', { domain: 'docker.io', path: 'library/x', tag: 'Tag_1.-x' }],
    ['x:' + 'T'.repeat(128), { domain: 'docker.io', path: 'library/x', tag: 'T'.repeat(128) }],
    [`x@${DIGEST}`, { domain: 'docker.io', path: 'library/x', digest: DIGEST }],
    [`x:t@${DIGEST}`, { domain: 'docker.io', path: 'library/x', tag: 't', digest: DIGEST }],
    [`localhost:5000/a/b@${DIGEST}`, { domain: 'localhost:5000', path: 'a/b', digest: DIGEST }],
    ['abcdef012345', { domain: 'docker.io', path: 'library/abcdef012345' }],
    ['a'.repeat(247), { domain: 'docker.io', path: 'library/' + 'a'.repeat(247) }],
  ];
  for (const [input, expected] of good) {
    test(`parses ${JSON.stringify(input.length > 60 ? input.slice(0, 60) + '…' : input)}`, () => {
      assert.deepEqual(parseReference(input), expected);
    });
  }

  const bad: [input: string, message: string][] = [
    ['Foo:Bar', 'invalid reference format: repository name (library/Foo) must be lowercase'],
    ['user/Foo', 'invalid reference format: repository name (user/Foo) must be lowercase'],
    ['docker.io/Foo', 'invalid reference format: repository name (library/Foo) must be lowercase'],
    [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
    ['', 'invalid reference format'],
    ['a::b', 'invalid reference format'],
    ['x@sha256:zz', 'invalid reference format'],
    ['-x', 'invalid reference format'],
    ['x-', 'invalid reference format'],
    ['x:', 'invalid reference format'],
    ['x/', 'invalid reference format'],
    ['/x', 'invalid reference format'],
    ['a//b', 'invalid reference format'],
    ['a___b', 'invalid reference format'],
    ['x:-tag', 'invalid reference format'],
    ['x:' + 't'.repeat(129), 'invalid reference format'],
    ['x@', 'invalid reference format'],
    ['my registry/x', 'invalid reference format'],
    ['-host.com/x', 'invalid reference format'],
    ['host.com:port/x', 'invalid reference format'],
    ['a'.repeat(248), 'repository name must not be more than 255 characters'],
    [`x@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
    [`x@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
    [`x@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`x@sha512:${'a'.repeat(128)}`, 'unsupported digest algorithm'],
  ];
  for (const [input, message] of bad) {
    test(`refuses ${JSON.stringify(input.length > 60 ? input.slice(0, 60) + '…' : input)} with Docker's message`, () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) => isBerthError(e, 'invalid-argument') && e.message === message,
      );
    });
  }

  test('fails fast on long near-miss input', () => {
    const input = 'a.'.repeat(5000) + '!/x';
    assert.throws(() => parseReference(input), { message: 'invalid reference format' });
  });
});

describe('familiar and full forms', () => {
  const table: [input: string, canonical: string, familiar: string, name: string, familiarName: string][] = [
    ['busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox', 'busybox'],
    ['busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest', 'docker.io/library/busybox', 'busybox'],
    ['docker.io/library/busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox', 'busybox'],
    ['user/x:1', 'docker.io/user/x:1', 'user/x:1', 'docker.io/user/x', 'user/x'],
    ['library/a/b', 'docker.io/library/a/b', 'library/a/b', 'docker.io/library/a/b', 'library/a/b'],
    ['localhost:5000/x:t', 'localhost:5000/x:t', 'localhost:5000/x:t', 'localhost:5000/x', 'localhost:5000/x'],
    ['quay.io/library/x', 'quay.io/library/x', 'quay.io/library/x', 'quay.io/library/x', 'quay.io/library/x'],
    [`x:t@${DIGEST}`, `docker.io/library/x:t@${DIGEST}`, `x:t@${DIGEST}`, 'docker.io/library/x', 'x'],
    ['a.b-c_d__e/f', 'a.b-c_d__e/f', 'a.b-c_d__e/f', 'a.b-c_d__e/f', 'a.b-c_d__e/f'],
  ];
  for (const [input, canonical, familiar, name, shortName] of table) {
    test(`${input} is ${canonical} in full and ${familiar} in familiar form`, () => {
      const ref = parseReference(input);
      assert.equal(referenceString(ref), canonical);
      assert.equal(familiarString(ref), familiar);
      assert.equal(fullName(ref), name);
      assert.equal(familiarName(ref), shortName);
    });
    test(`${input} round-trips through both forms`, () => {
      const ref = parseReference(input);
      assert.deepEqual(parseReference(referenceString(ref)), ref);
      assert.deepEqual(parseReference(familiarString(ref)), ref);
    });
  }
});

describe('tags and repository names', () => {
  test('withDefaultTag adds latest only when there is neither tag nor digest', () => {
    assert.equal(withDefaultTag(parseReference('busybox')).tag, 'latest');
    assert.equal(withDefaultTag(parseReference('busybox:1')).tag, '1');
    assert.equal(withDefaultTag(parseReference(`busybox@${DIGEST}`)).tag, undefined);
  });

  test('withTag validates the tag and keeps the digest', () => {
    const ref = withTag(parseReference(`x@${DIGEST}`), 'v2');
    assert.equal(referenceString(ref), `docker.io/library/x:v2@${DIGEST}`);
    assert.throws(() => withTag(ref, '.bad'), { message: 'invalid tag format' });
    assert.throws(() => withTag(ref, 'x'.repeat(129)), { message: 'invalid tag format' });
  });

  test('parseRepositoryName accepts a bare name and refuses a tag or digest', () => {
    assert.deepEqual(parseRepositoryName('localhost:5000/x'), { domain: 'localhost:5000', path: 'x' });
    assert.throws(() => parseRepositoryName('x:1'), { message: 'invalid reference format' });
    assert.throws(() => parseRepositoryName(`x@${DIGEST}`), { message: 'invalid reference format' });
  });
});
