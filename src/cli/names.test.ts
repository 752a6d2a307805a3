import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsis, familiarName, parseReference, truncateID } from './names.js';

const DIGEST = `sha256:${'1'.repeat(64)}`;

describe('parseReference', () => {
  const cases: Array<[string, unknown]> = [
    ['busybox', { name: 'busybox' }],
    ['busybox:1.36', { name: 'busybox', tag: '1.36' }],
    ['localhost:5000/bb', { name: 'localhost:5000/bb' }],
    ['localhost:5000/bb:v1', { name: 'localhost:5000/bb', tag: 'v1' }],
    [`busybox@${DIGEST}`, { name: 'busybox', digest: DIGEST }],
    [`busybox:1@${DIGEST}`, { name: 'busybox', tag: '1', digest: DIGEST }],
    ['<none>:<none>', undefined],
    ['Busybox', undefined],
    ['busybox:bad tag', undefined],
    ['busybox@sha256:short', undefined],
  ];
  for (const [ref, want] of cases)
    test(`${ref} parses to ${JSON.stringify(want)}`, () => assert.deepEqual(parseReference(ref), want));
});

describe('familiarName', () => {
  const cases: Array<[string, string]> = [
    ['docker.io/library/busybox', 'busybox'],
    ['docker.io/someone/app', 'someone/app'],
    ['index.docker.io/library/alpine', 'alpine'],
    ['docker.io/library/a/b', 'library/a/b'],
    ['quay.io/org/app', 'quay.io/org/app'],
    ['busybox', 'busybox'],
  ];
  for (const [name, want] of cases) test(`${name} is shown as ${want}`, () => assert.equal(familiarName(name), want));
});

describe('short forms', () => {
  test('truncateID drops the algorithm and keeps 12 characters', () => {
    assert.equal(truncateID(`sha256:${'ab'.repeat(32)}`), 'abababababab');
    assert.equal(truncateID('<missing>'), '<missing>');
  });
  test('ellipsis keeps max characters with … last', () => {
    assert.equal(ellipsis('abcdef', 4), 'abc…');
    assert.equal(ellipsis('abc', 4), 'abc');
    assert.equal(ellipsis('abc', 0), '');
  });
});
