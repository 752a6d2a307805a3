import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcards, matchPath } from './path-match.js';

const cases: [pattern: string, path: string, matches: boolean][] = [
  ['*.txt', 'a.txt', true],
  ['*.txt', 'dir/a.txt', false],
  ['dir/*.txt', 'dir/a.txt', true],
  ['a?c', 'abc', true],
  ['a?c', 'a/c', false],
  ['[a-c]x', 'bx', true],
  ['[!a-c]x', 'bx', false],
  ['[^a-c]x', 'dx', true],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['file', 'file', true],
  ['*', '', true],
];

for (const [pattern, path, matches] of cases) {
  test(`pattern ${pattern} ${matches ? 'matches' : 'does not match'} ${path || '(empty)'}`, () => {
    assert.equal(matchPath(pattern, path), matches);
  });
}

test('plain paths have no wildcards and patterns do', () => {
  assert.equal(hasWildcards('src/app.js'), false);
  assert.equal(hasWildcards('src/*.js'), true);
});
