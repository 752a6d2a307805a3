import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../kernel/index.js';
import { expandWord, expandWords } from './index.js';
import { heredocsFromLine } from './heredoc.js';

const ENV = new Map([
  ['PWD', '/home'],
  ['SHELL', 'bash'],
  ['KOREAN', '한국어'],
  ['EMPTY', ''],
  ['FOO', 'xxyy'],
  ['PORTS', '80 443/udp'],
  ['GLOBS', '/foo*/*/*.txt'],
  ['NEEDLE', '\\*/'],
  ['PATHV', '/tmp/tmp/bar.txt'],
]);

describe('expandWord', () => {
  const good: [word: string, expected: string][] = [
    ['hello', 'hello'],
    ["he'll'o", 'hello'],
    ["he\\'llo", "he'llo"],
    ['abc\\tdef', 'abctdef'],
    ['"abc\\tdef"', 'abc\\tdef'],
    ['"abc\\\\tdef"', 'abc\\tdef'],
    ["'abc\\tdef'", 'abc\\tdef'],
    ['hello\\', 'hello'],
    ['hello\\\\', 'hello\\'],
    ['"hel\'lo"', "hel'lo"],
    ["'hello\\'", 'hello\\'],
    ['"\'\'"', "''"],
    ['$.', '$.'],
    ['$', '$'],
    ['$1', ''],
    ['he$1x', 'hex'],
    ['he$pwd.', 'he.'],
    ['he$PWD', 'he/home'],
    ['he\\$PWD', 'he$PWD'],
    ['he\\\\$PWD', 'he\\/home'],
    ['"he\\$PWD"', 'he$PWD'],
    ['"he\\\\$PWD"', 'he\\/home'],
    ["'he\\$PWD'", 'he\\$PWD'],
    ['\\${}', '${}'],
    ['he${hi}xx', 'hexx'],
    ['he${PWD}', 'he/home'],
    ['"he${PWD}"', 'he/home'],
    ['"he\'$PWD\'"', "he'/home'"],
    ["'he${XX}'", 'he${XX}'],
    ['$KOREAN', '한국어'],
    ["안'녕'하세요", '안녕하세요'],
    ['${aaa}}', '}'],
    ['keeps  inner   spaces', 'keeps  inner   spaces'],
    // Defaults and alternatives, with and without the colon.
    ['he${XXX:-000}xx', 'he000xx'],
    ['he${PWD:-000}xx', 'he/homexx'],
    ['he${XXX:-$PWD}xx', 'he/homexx'],
    ['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['he${XXX:+000}xx', 'hexx'],
    ['he${PWD:+${SHELL}}xx', 'hebashxx'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['he${PWD:+${PWD}:}xx', 'he/home:xx'],
    ['he${XXX:-\\$PWD:}xx', 'he$PWD:xx'],
    ['he${XXX:-\\${PWD}z}xx', 'he${PWDz}xx'],
    ['${aaa:-bbb {foo}', 'bbb {foo'],
    ['${FOO?msg}', 'xxyy'],
    ['${EMPTY?msg}', ''],
    ['${FOO:?msg}', 'xxyy'],
    // Prefix and suffix removal, replacement.
    ['${FOO#*x*y}', 'y'],
    ['${FOO#*}', 'xxyy'],
    ['${FOO##*x}', 'yy'],
    ['${FOO#}', 'xxyy'],
    ['${FOO%y}', 'xxy'],
    ['${FOO%%y*}', 'xx'],
    ['${FOO%x}', 'xxyy'],
    ['${ABC:-.}${FOO%x}${ABC:-.}', '.xxyy.'],
    ['${GLOBS/$NEEDLE/.} - ${GLOBS//$NEEDLE/.}', '/foo.*/*.txt - /foo..*.txt'],
    ['${PATHV/\\/tmp/} - ${PATHV//\\/tmp/}', '/tmp/bar.txt - /bar.txt'],
    ['${FOO/$EMPTY/ww}', 'wwxxyy'],
    ['${FOO///}', 'xxyy'],
    ['${UNSET///}', ''],
  ];
  for (const [word, expected] of good) {
    test(`expands ${word} to ${JSON.stringify(expected)}`, () => {
      assert.equal(expandWord(word, ENV), expected);
    });
  }

  const bad: [word: string, message: RegExp][] = [
    ["he'llo", /matching single-quote/],
    ["he\\\\'llo", /matching single-quote/],
    ['"hello', /matching double-quote/],
    ['"hello\\"', /matching double-quote/],
    ['${}', /bad substitution/],
    ['he${}xx', /bad substitution/],
    ['he${.}', /unsupported modifier \(\.\)/],
    ['he${XXX:YYY}', /unsupported modifier \(:Y\)/],
    ['he${PWD', /missing '}'/],
    ['he${PWD:=000}xx', /unsupported modifier \(:=\)/],
    ['${{aaa}', /bad substitution/],
    ['${aaa:-bbb', /missing '}'/],
    ['${aaa:-bbb ${foo}', /missing '}'/],
    ['${:}', /bad substitution/],
    ['${FOO//ww}', /missing '\/' in \$\{\}/],
    ['${UNSET?}', /^failed to process "\$\{UNSET\?\}": UNSET: is not allowed to be unset$/],
    ['${UNSET:?}', /UNSET: is not allowed to be unset/],
    ['${EMPTY:?}', /EMPTY: is not allowed to be empty/],
    ['${EMPTY:?must be set $SHELL}', /EMPTY: must be set bash/],
    ['${FOO#\\x}', /invalid pattern \(\\x\) in substitution/],
  ];
  for (const [word, message] of bad) {
    test(`refuses ${word} as invalid-argument`, () => {
      assert.throws(
        () => expandWord(word, ENV),
        (e: unknown) => isBerthError(e, 'invalid-argument') && message.test(e.message),
      );
    });
  }

  test('uses the backtick as the escape character when the Dockerfile says so', () => {
    assert.equal(expandWord('C:\\path`$PWD', ENV, { escape: '`' }), 'C:\\path$PWD');
    assert.equal(expandWord('"a`"b"', ENV, { escape: '`' }), 'a"b');
  });
});

describe('expandWords', () => {
  const cases: [word: string, expected: string[]][] = [
    ['80 443', ['80', '443']],
    ['$PORTS 8080', ['80', '443/udp', '8080']],
    ['"$PORTS"', ['80 443/udp']],
    ["'a b' c", ['a b', 'c']],
    ['a\\ b', ['a b']],
    ['""', []],
    ['  spaced   out  ', ['spaced', 'out']],
    ['$EMPTY', []],
  ];
  for (const [word, expected] of cases) {
    test(`splits ${word} into ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(expandWords(word, ENV), expected);
    });
  }
});

describe('heredocsFromLine', () => {
  const cases: [line: string, expected: ReturnType<typeof heredocsFromLine>][] = [
    ['RUN <<EOF', [{ name: 'EOF', expand: true, chomp: false }]],
    ['RUN <<-EOF', [{ name: 'EOF', expand: true, chomp: true }]],
    ['RUN <<"EOF"', [{ name: 'EOF', expand: false, chomp: false }]],
    ["RUN <<'EOF'", [{ name: 'EOF', expand: false, chomp: false }]],
    ['RUN <<E"O"F', [{ name: 'EOF', expand: false, chomp: false }]],
    ['RUN cat 3<<IN', [{ name: 'IN', expand: true, chomp: false, fd: 3 }]],
    [
      'RUN cat <<A && cat <<-"B"',
      [
        { name: 'A', expand: true, chomp: false },
        { name: 'B', expand: false, chomp: true },
      ],
    ],
    [
      'COPY <<one <<two /dest/',
      [
        { name: 'one', expand: true, chomp: false },
        { name: 'two', expand: true, chomp: false },
      ],
    ],
    ['RUN echo "<<EOF"', []],
    ['RUN echo a<<EOF', []],
    ['RUN cat <<', []],
    ['RUN echo "unterminated <<EOF', []],
  ];
  for (const [line, expected] of cases) {
    test(`finds ${JSON.stringify(expected.map((h) => h.name))} in ${line}`, () => {
      assert.deepEqual(heredocsFromLine(line), expected);
    });
  }
});
