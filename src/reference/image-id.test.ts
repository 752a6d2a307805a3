import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIdPrefix, parseImageId } from './index.js';

const HEX = '0123456789abcdef'.repeat(4);

const table: [input: string, prefix: boolean, fullId: string | undefined][] = [
  [HEX, true, `sha256:${HEX}`],
  [`sha256:${HEX}`, true, `sha256:${HEX}`],
  ['0123', true, undefined],
  ['0123456789ab', true, undefined],
  ['sha256:0123', true, undefined],
  ['012', false, undefined],
  [HEX + 'a', false, undefined],
  ['0123456789AB', false, undefined],
  ['busybox', false, undefined],
  ['sha512:0123', false, undefined],
];

for (const [input, prefix, fullId] of table) {
  test(`${input.slice(0, 20)}${input.length > 20 ? '…' : ''} ${prefix ? 'may' : 'may not'} be an ID prefix${fullId ? ' and is a full ID' : ''}`, () => {
    assert.equal(isIdPrefix(input), prefix);
    assert.equal(parseImageId(input), fullId);
  });
}
