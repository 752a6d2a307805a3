import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymousVolumeName, validateVolumeName } from './names.js';

test('names Docker accepts are accepted', () => {
  for (const name of ['db', 'my_vol', 'a.b-c', '0data', anonymousVolumeName()]) {
    assert.doesNotThrow(() => validateVolumeName(name), name);
  }
});

test('names Docker refuses are refused with its wording', () => {
  for (const name of ['a', 'a/b', '/abs', '.hidden', '-x', 'sp ace', '']) {
    assert.throws(
      () => validateVolumeName(name),
      (e: Error) =>
        e.message.startsWith(`create ${name}: "${name}" includes invalid characters for a local volume name`),
      name,
    );
  }
});

test('anonymous volume names are 64 hexadecimal digits', () => {
  assert.match(anonymousVolumeName(), /^[0-9a-f]{64}$/);
});
