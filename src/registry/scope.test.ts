import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeScopes, repositoryScope, scopeKey } from './scope.js';

describe('repositoryScope', () => {
  test('a pull scope names the repository path and the action', () => {
    assert.equal(repositoryScope('library/busybox', ['pull']), 'repository:library/busybox:pull');
  });
  test('a push scope asks for pull and push', () => {
    assert.equal(repositoryScope('me/app', ['pull', 'push']), 'repository:me/app:pull,push');
  });
});

describe('scopeKey', () => {
  const cases: [string, string[], string][] = [
    ['no scopes give the empty key', [], ''],
    ['one scope is its own key', ['repository:a:pull'], 'repository:a:pull'],
    ['actions are sorted', ['repository:a:push,pull'], 'repository:a:pull,push'],
    [
      'the same repository with different actions merges',
      ['repository:a:pull', 'repository:a:push'],
      'repository:a:pull,push',
    ],
    [
      'scopes on different repositories are sorted',
      ['repository:b:pull', 'repository:a:pull,push'],
      'repository:a:pull,push repository:b:pull',
    ],
    ['duplicate actions count once', ['repository:a:pull', 'repository:a:pull'], 'repository:a:pull'],
    ['a path with a port-like colon keeps it', ['repository:x/y:z:pull'], 'repository:x/y:z:pull'],
  ];
  for (const [name, scopes, key] of cases) test(name, () => assert.equal(scopeKey(scopes), key));

  test('a malformed scope without actions is dropped', () => {
    assert.deepEqual(mergeScopes(['nonsense', 'repository:a:pull']), ['repository:a:pull']);
  });
});
