import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../kernel/index.js';
import { createIgnoreMatcher, parseDockerignore } from './index.js';

describe('parseDockerignore', () => {
  const cases: [name: string, text: string, expected: string[]][] = [
    ['skips comments and blank lines', '# comment\nfoo\n\n   \n#bar\n', ['foo']],
    ['keeps a # that is not in the first column', ' # not a comment\n', ['# not a comment']],
    ['trims whitespace', '  foo  \n\tbar\t\n', ['foo', 'bar']],
    ['cleans paths', './a\nb/\nc//d\ne/../f\n../up\n', ['a', 'b', 'c/d', 'f', '../up']],
    ['makes absolute patterns relative', '/abs\n/\n/a/b/\n', ['abs', '/', 'a/b']],
    ['normalises exceptions', '!keep\n! spaced/\n!/abs\n!\n', ['!keep', '!spaced', '!abs', '!']],
    ['accepts CRLF and a byte-order mark', '\uFEFFa\r\nb\r\n', ['a', 'b']],
    ['keeps wildcards', '**/*.go\n*.md\n[a-z]?\n', ['**/*.go', '*.md', '[a-z]?']],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => {
      assert.deepEqual(parseDockerignore(text), expected);
    });
  }
});

describe('IgnoreMatcher.matches', () => {
  const cases: [patterns: string[], path: string, excluded: boolean][] = [
    [['foo'], 'foo', true],
    [['foo'], 'foo/bar', true],
    [['foo'], 'foo/bar/baz.txt', true],
    [['foo'], 'foobar', false],
    [['foo'], 'a/foo', false],
    [['foo'], './foo', true],
    [['foo'], '/foo/', true],
    [['foo/bar'], 'foo/bar/x', true],
    [['foo/bar'], 'foo', false],
    [['*.go'], 'main.go', true],
    [['*.go'], 'pkg/main.go', false],
    [['*/*.go'], 'pkg/main.go', true],
    [['**/*.go'], 'main.go', true],
    [['**/*.go'], 'a/b/c.go', true],
    [['**/*.go'], 'a/b/c.gox', false],
    [['**'], 'anything/at/all', true],
    [['*'], 'a/b', true],
    [['a/**'], 'a/b/c', true],
    [['a/**'], 'a', false],
    [['a/**/b'], 'a/b', true],
    [['a/**/b'], 'a/x/y/b', true],
    [['a/**/b'], 'a/xb', false],
    [['**/node_modules'], 'node_modules/x', true],
    [['**/node_modules'], 'web/app/node_modules/y/z', true],
    [['?.txt'], 'a.txt', true],
    [['?.txt'], 'ab.txt', false],
    [['?.txt'], '/.txt', false],
    [['[a-c].txt'], 'b.txt', true],
    [['[a-c].txt'], 'd.txt', false],
    [['[^a].txt'], 'b.txt', true],
    [['[^a].txt'], 'a.txt', false],
    [['[\\]].txt'], '].txt', true],
    [['*\\*'], 'a*', true],
    [['\\*.txt'], '*.txt', true],
    [['\\*.txt'], 'a.txt', false],
    [['*'], '.', false],
    [['*'], '', false],
    [['*\\*'], 'a', false],
    [['a.b'], 'axb', false],
    [['(x)+'], '(x)+', true],
    [['.git'], '.git/config', true],
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'CHANGES.md', true],
    [['!README.md', '*.md'], 'README.md', true],
    [['docs', '!docs/README.md'], 'docs/README.md', false],
    [['docs', '!docs/README.md'], 'docs/other.md', true],
    [['docs', '!docs/README.md'], 'docs', true],
    [['node_modules', '!node_modules/keep'], 'node_modules/keep/x.js', false],
    [['dir', '!**/keep.txt'], 'dir/sub/keep.txt', false],
    [['dir', '!**/keep.txt'], 'dir/sub/other', true],
    [['*', '!src', 'src/*.tmp'], 'src/a.tmp', true],
    [['*', '!src', 'src/*.tmp'], 'src/a.ts', false],
    [[], 'anything', false],
    [['  '], 'anything', false],
  ];
  for (const [patterns, path, excluded] of cases) {
    test(`${excluded ? 'excludes' : 'keeps'} ${path} with ${JSON.stringify(patterns)}`, () => {
      assert.equal(createIgnoreMatcher(patterns).matches(path), excluded);
    });
  }

  test('always sends the files named in keep, however the patterns read', () => {
    const matcher = createIgnoreMatcher(['*', 'build'], { keep: ['build/Dockerfile', '.dockerignore'] });
    assert.deepEqual(
      ['build/Dockerfile', '.dockerignore', 'build/other', 'x'].map((p) => matcher.matches(p)),
      [false, false, true, true],
    );
    assert.equal(createIgnoreMatcher(['*'], { keep: ['Docker[file]*'] }).matches('Docker[file]*'), false);
  });
});

describe('IgnoreMatcher.canSkipDir', () => {
  const cases: [patterns: string[], dir: string, skip: boolean][] = [
    [['node_modules'], 'node_modules', true],
    [['node_modules'], 'src', false],
    [['node_modules', '!node_modules/keep'], 'node_modules', false],
    [['node_modules', '!node_modules/keep'], 'node_modules/other', true],
    [['*', '!src'], 'docs', true],
    [['*', '!src'], 'src', false],
    [['*', '!a'], 'a/b', false],
    [['a', '!**/x'], 'a', false],
    [['a', '!b/c'], 'a', true],
    [['a', '!*/c'], 'a', false],
    [['a', '![ab]/c'], 'a', false],
    [['a', '![bc]/c'], 'a', true],
    [['build'], 'build', true],
  ];
  for (const [patterns, dir, skip] of cases) {
    test(`${skip ? 'skips' : 'walks'} ${dir} with ${JSON.stringify(patterns)}`, () => {
      assert.equal(createIgnoreMatcher(patterns).canSkipDir(dir), skip);
    });
  }

  test('walks a directory that holds a kept file', () => {
    assert.equal(createIgnoreMatcher(['build'], { keep: ['build/Dockerfile'] }).canSkipDir('build'), false);
  });
});

describe('bad patterns', () => {
  const cases: [pattern: string, message: string][] = [
    ['!', 'illegal exclusion pattern: "!"'],
    ['[a-', 'invalid .dockerignore pattern "[a-": syntax error in pattern'],
    ['[', 'invalid .dockerignore pattern "[": syntax error in pattern'],
    ['[]a]', 'invalid .dockerignore pattern "[]a]": syntax error in pattern'],
    ['[-a]', 'invalid .dockerignore pattern "[-a]": syntax error in pattern'],
    ['a\\', 'invalid .dockerignore pattern "a\\": syntax error in pattern'],
  ];
  for (const [pattern, message] of cases) {
    test(`refuses ${pattern}`, () => {
      assert.throws(
        () => createIgnoreMatcher([pattern]),
        (e: unknown) => isBerthError(e, 'invalid-argument') && e.message === message,
      );
    });
  }

  test('accepts a reversed range, which matches nothing', () => {
    assert.equal(createIgnoreMatcher(['[z-a]']).matches('b'), false);
    assert.equal(createIgnoreMatcher(['[^z-a]']).matches('b'), true);
  });
});
