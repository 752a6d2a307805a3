import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../kernel/index.js';
import { expandWord, parseDockerfile, parseOnbuildTrigger, type Dockerfile, type Instruction } from './index.js';

function instructions(text: string): Instruction[] {
  return parseDockerfile(text).stages[0]?.instructions ?? [];
}

function runCommands(text: string): string[] {
  return instructions(text).map((i) => {
    assert.equal(i.kind, 'run');
    assert.equal(i.command.form, 'shell');
    return i.command.command;
  });
}

describe('lines, comments and continuations', () => {
  const cases: [name: string, text: string, commands: string[]][] = [
    ['joins a continuation without the escape', 'FROM x\nRUN a \\\n  b\n', ['a   b']],
    ['allows blanks after the continuation escape', 'FROM x\nRUN a \\  \t\nb\n', ['a b']],
    ['drops comment lines inside a continuation', 'FROM x\nRUN a \\\n# note\n  # indented note\n b\n', ['a  b']],
    ['skips an empty continuation line', 'FROM x\nRUN a \\\n\n b\n', ['a  b']],
    ['keeps a # that is not at the start of the line', 'FROM x\nRUN echo a # b\n', ['echo a # b']],
    ['skips blank lines and indented comments', '\n\nFROM x\n   # c\n\t\nRUN a\n', ['a']],
    ['ends a continuation at the end of the file', 'FROM x\nRUN a \\', ['a']],
    ['accepts CRLF line endings', 'FROM x\r\nRUN a \\\r\n b\r\nRUN c\r\n', ['a  b', 'c']],
    ['strips a leading byte-order mark', '\uFEFFFROM x\nRUN a\n', ['a']],
    ['does not continue after an escaped escape character', 'FROM x\nRUN echo \\\\\nRUN b\n', ['echo \\\\', 'b']],
    ['continues on a line holding only the escape', 'FROM x\nRUN a \\\n\\\n b\n', ['a  b']],
    ['uses the escape directive for continuations', '# escape=`\nFROM x\nRUN dir c:\\ `\n  /w\n', ['dir c:\\   /w']],
    ['treats a backslash as literal under escape=`', '# escape=`\nFROM x\nRUN a \\\nRUN b\n', ['a \\', 'b']],
  ];
  for (const [name, text, commands] of cases) {
    test(`${name}`, () => {
      assert.deepEqual(runCommands(text), commands);
    });
  }

  test('records start and end lines and the original text', () => {
    const [run, env] = instructions('FROM x\n\nRUN a \\\n# c\n  b\nENV A=1\n');
    assert.deepEqual(
      { line: run?.line, endLine: run?.endLine, original: run?.original },
      { line: 3, endLine: 5, original: 'RUN a   b' },
    );
    assert.deepEqual({ line: env?.line, endLine: env?.endLine }, { line: 6, endLine: 6 });
  });

  test('warns about empty continuation lines', () => {
    const df = parseDockerfile('FROM x\nRUN a \\\n\n  b\n');
    assert.equal(df.warnings.length, 1);
    assert.ok(df.warnings[0]?.message.startsWith('Empty continuation line found in: RUN a   b'));
    assert.equal(df.warnings[0]?.line, 2);
  });
});

describe('warnings', () => {
  const cases: [name: string, text: string, expected: Dockerfile['warnings']][] = [
    ['none for a plain file', 'FROM x\nENV A=1\n', []],
    [
      'the legacy ENV form',
      'FROM x\nENV A 1\n',
      [{ line: 2, message: '"ENV key value" is a legacy form: prefer "ENV key=value"' }],
    ],
    [
      'the legacy LABEL form',
      'FROM x\n\nLABEL a b c\n',
      [{ line: 3, message: '"LABEL key value" is a legacy form: prefer "LABEL key=value"' }],
    ],
    [
      'MAINTAINER',
      'FROM x\nMAINTAINER me\n',
      [{ line: 2, message: 'MAINTAINER is deprecated: use LABEL maintainer=… instead' }],
    ],
  ];
  for (const [name, text, expected] of cases) {
    test(`warns about ${name}`, () => {
      assert.deepEqual(parseDockerfile(text).warnings, expected);
    });
  }
});

describe('the escape directive in arguments', () => {
  test('groups ENV words with the backtick, keeping it for expansion', () => {
    const [env] = instructions('# escape=`\nFROM x\nENV A="x`"y" B=c` d P=C:\\path\n');
    assert.ok(env?.kind === 'env');
    assert.deepEqual(env.pairs, [
      { key: 'A', value: '"x`"y"' },
      { key: 'B', value: 'c` d' },
      { key: 'P', value: 'C:\\path' },
    ]);
    const env2 = new Map<string, string>();
    const values = env.pairs.map((p) => expandWord(p.value, env2, { escape: '`' }));
    assert.deepEqual(values, ['x"y', 'c d', 'C:\\path']);
  });
});

describe('parser directives', () => {
  const cases: [name: string, text: string, expected: Dockerfile['directives']][] = [
    ['defaults to the backslash', 'FROM x\n', { escape: '\\' }],
    ['reads escape', '# escape=`\nFROM x\n', { escape: '`' }],
    ['reads directives case-insensitively with spaces', '#  ESCAPE = ` \nFROM x\n', { escape: '`' }],
    [
      'reads syntax and escape together',
      '# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n',
      { escape: '`', syntax: 'docker/dockerfile:1' },
    ],
    ['ignores a directive after a comment', '# hello\n# escape=`\nFROM x\n', { escape: '\\' }],
    ['ignores a directive after a blank line', '\n# escape=`\nFROM x\n', { escape: '\\' }],
    ['ignores a directive after an instruction', 'FROM x\n# escape=`\n', { escape: '\\' }],
    ['ends the directives at an unknown one', '# foo=bar\n# escape=`\nFROM x\n', { escape: '\\' }],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => {
      assert.deepEqual(parseDockerfile(text).directives, expected);
    });
  }

  test('reports the syntax directive as ignored', () => {
    const df = parseDockerfile('# syntax=docker/dockerfile:1.4\nFROM x\n');
    assert.deepEqual(df.warnings, [
      {
        line: 1,
        message: 'the syntax directive (docker/dockerfile:1.4) is ignored: berth has one Dockerfile frontend',
      },
    ]);
  });
});

describe('heredocs', () => {
  test('attaches a RUN heredoc and reads its body up to the terminator', () => {
    const [run, next] = instructions('FROM x\nRUN <<EOF\napt-get update\n  echo $HOME\nEOF\nRUN after\n');
    assert.ok(run?.kind === 'run');
    assert.deepEqual(run.command, { form: 'shell', command: '<<EOF' });
    assert.deepEqual(run.heredocs, [
      { name: 'EOF', content: 'apt-get update\n  echo $HOME\n', expand: true, chomp: false },
    ]);
    assert.deepEqual({ line: run.line, endLine: run.endLine }, { line: 2, endLine: 5 });
    assert.equal(next?.line, 6);
  });

  test('strips leading tabs with <<- and keeps bodies verbatim otherwise', () => {
    const [a, b] = instructions(
      'FROM x\nRUN <<-EOF\n\t\techo a\n\tEOF\nRUN <<EOF\n\techo b\n# not a comment\n\\\nEOF\n',
    );
    assert.ok(a?.kind === 'run' && b?.kind === 'run');
    assert.equal(a.heredocs[0]?.content, 'echo a\n');
    assert.equal(b.heredocs[0]?.content, '\techo b\n# not a comment\n\\\n');
  });

  test('reads several heredocs of one line in order', () => {
    const [run] = instructions('FROM x\nRUN cat <<A > /a && cat <<"B" > /b\none\nA\ntwo $X\nB\n');
    assert.ok(run?.kind === 'run');
    assert.deepEqual(
      run.heredocs.map((h) => [h.name, h.content, h.expand]),
      [
        ['A', 'one\n', true],
        ['B', 'two $X\n', false],
      ],
    );
  });

  test('makes COPY heredoc sources inline files', () => {
    const [copy] = instructions('FROM x\nCOPY --chmod=755 <<EOT /usr/local/bin/hello\n#!/bin/sh\necho hi\nEOT\n');
    assert.ok(copy?.kind === 'copy');
    assert.deepEqual(copy.sources, [
      { kind: 'heredoc', heredoc: { name: 'EOT', content: '#!/bin/sh\necho hi\n', expand: true, chomp: false } },
    ]);
    assert.equal(copy.chmod, '755');
  });

  test('mixes heredoc and path sources in COPY', () => {
    const [copy] = instructions('FROM x\nCOPY <<one file.txt <<two /dest/\n1\none\n2\ntwo\n');
    assert.ok(copy?.kind === 'copy');
    assert.deepEqual(
      copy.sources.map((s) => (s.kind === 'path' ? s.path : s.heredoc.content)),
      ['1\n', 'file.txt', '2\n'],
    );
  });

  test('reads a heredoc for an ONBUILD RUN trigger', () => {
    const [onbuild, after] = instructions('FROM x\nONBUILD RUN <<EOF\necho later\nEOF\nRUN now\n');
    assert.ok(onbuild?.kind === 'onbuild' && onbuild.trigger.kind === 'run');
    assert.equal(onbuild.trigger.heredocs[0]?.content, 'echo later\n');
    assert.equal(onbuild.expression, 'RUN <<EOF\necho later\nEOF');
    const again = parseOnbuildTrigger(onbuild.expression);
    assert.ok(again.kind === 'run');
    assert.deepEqual(again.heredocs, onbuild.trigger.heredocs);
    assert.equal(after?.line, 5);
  });

  test('has no heredocs in the exec form or in other instructions', () => {
    const [run, env] = instructions('FROM x\nRUN ["cat", "<<EOF"]\nENV A=<<EOF\n');
    assert.ok(run?.kind === 'run' && env?.kind === 'env');
    assert.deepEqual(run.heredocs, []);
    assert.equal(env.pairs[0]?.value, '<<EOF');
  });

  test('refuses a heredoc without its terminator, naming the opening line', () => {
    assert.throws(
      () => parseDockerfile('FROM x\nRUN <<EOF\necho\nEOFX\n'),
      (e: unknown) =>
        isBerthError(e, 'invalid-argument') && e.message === 'Dockerfile parse error line 2: unterminated heredoc',
    );
  });
});

describe('stages', () => {
  test('splits instructions into stages with names, bases and platforms', () => {
    const df = parseDockerfile(
      'ARG BASE=debian\nARG TAG\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS Build\nRUN make\nfrom scratch\nCOPY --from=build /out /\n',
    );
    assert.deepEqual(
      df.globalArgs.map((a) => a.args),
      [[{ name: 'BASE', default: 'debian' }], [{ name: 'TAG' }]],
    );
    assert.deepEqual(
      df.stages.map((s) => ({
        index: s.index,
        name: s.name,
        base: s.base,
        platform: s.platform,
        n: s.instructions.length,
      })),
      [
        { index: 0, name: 'build', base: '${BASE}:${TAG}', platform: '$BUILDPLATFORM', n: 1 },
        { index: 1, name: undefined, base: 'scratch', platform: undefined, n: 1 },
      ],
    );
    assert.equal(df.stages[0]?.original, 'FROM --platform=$BUILDPLATFORM ${BASE}:${TAG} AS Build');
    assert.equal(df.stages[1]?.line, 5);
  });

  test('keeps an ARG after FROM in its stage', () => {
    const df = parseDockerfile('FROM x\nARG V\n');
    assert.deepEqual(df.globalArgs, []);
    assert.equal(df.stages[0]?.instructions[0]?.kind, 'arg');
  });
});

describe('file-level errors', () => {
  const cases: [name: string, text: string, message: string][] = [
    ['an empty file', '', 'the Dockerfile cannot be empty'],
    ['a file of comments', '# just\n\n   # comments\n', 'the Dockerfile cannot be empty'],
    ['only global ARGs', 'ARG A\n', 'the Dockerfile contains no stages to build: add a FROM'],
    [
      'an instruction before FROM',
      'ARG A\n\nRUN x\n',
      'Dockerfile parse error line 3: no build stage in current context (the first instruction must be FROM, after any ARGs)',
    ],
    [
      'an unknown instruction',
      'FROM x\nRUN a\n\n# c\nFOO bar\n',
      'Dockerfile parse error line 5: unknown instruction: FOO',
    ],
    ['FROM without an image', 'FROM\n', 'Dockerfile parse error line 1: FROM requires either one or three arguments'],
    ['FROM with two words', 'FROM a b\n', 'Dockerfile parse error line 1: FROM requires either one or three arguments'],
    [
      'FROM with a bad AS',
      'FROM a FOR b\n',
      'Dockerfile parse error line 1: FROM requires either one or three arguments',
    ],
    [
      'a stage name starting with a digit',
      'FROM a AS 1st\n',
      'Dockerfile parse error line 1: invalid name for build stage: "1st", name can\'t start with a number or contain symbols',
    ],
    ['a duplicate stage name', 'FROM a AS x\nFROM b AS X\n', 'Dockerfile parse error line 2: duplicate stage name "x"'],
    ['an unknown FROM flag', 'FROM --arch=arm a\n', 'Dockerfile parse error line 1: unknown flag: arch'],
    [
      'a bad escape directive',
      '# escape=x\nFROM a\n',
      "Dockerfile parse error line 1: invalid escape token 'x' does not match ` or \\",
    ],
    [
      'a repeated directive',
      '# escape=`\n# escape=\\\nFROM a\n',
      'Dockerfile parse error line 2: only one escape parser directive can be used',
    ],
  ];
  for (const [name, text, message] of cases) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => parseDockerfile(text),
        (e: unknown) => isBerthError(e, 'invalid-argument') && e.message === message,
      );
    });
  }
});

describe('parseOnbuildTrigger', () => {
  test('parses a stored trigger as its instruction', () => {
    const trigger = parseOnbuildTrigger('COPY --chown=app . /src');
    assert.ok(trigger.kind === 'copy');
    assert.deepEqual([trigger.sources, trigger.dest, trigger.chown], [[{ kind: 'path', path: '.' }], '/src', 'app']);
    assert.equal(trigger.original, 'COPY --chown=app . /src');
  });

  const bad: [expression: string, message: string][] = [
    ['FROM x', `invalid ONBUILD trigger "FROM x": FROM isn't allowed as an ONBUILD trigger`],
    ['ONBUILD RUN x', 'invalid ONBUILD trigger "ONBUILD RUN x": Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['NOPE x', 'invalid ONBUILD trigger "NOPE x": unknown instruction: NOPE'],
    ['RUN a\nRUN b', 'invalid ONBUILD trigger "RUN a\nRUN b": not a single instruction'],
    ['', 'invalid ONBUILD trigger "": ONBUILD requires at least one argument'],
  ];
  for (const [expression, message] of bad) {
    test(`refuses the trigger ${JSON.stringify(expression)}`, () => {
      assert.throws(
        () => parseOnbuildTrigger(expression),
        (e: unknown) => isBerthError(e, 'invalid-argument') && e.message === message,
      );
    });
  }
});
