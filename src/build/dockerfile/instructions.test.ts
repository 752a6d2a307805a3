import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../kernel/index.js';
import { parseDockerfile, type Instruction } from './index.js';

/** The single instruction of `FROM x` + `line`, without its position fields. */
function only(line: string): Record<string, unknown> {
  const df = parseDockerfile(`FROM x\n${line}\n`);
  const [first, ...others] = df.stages[0]?.instructions ?? [];
  assert.equal(others.length, 0);
  return strip(first);
}

function strip(instruction: Instruction | undefined): Record<string, unknown> {
  assert.ok(instruction);
  const { line: _l, endLine: _e, original: _o, ...rest } = instruction;
  if (rest.kind === 'onbuild') return { ...rest, trigger: strip(rest.trigger) };
  return rest;
}

const SHELL = (command: string) => ({ form: 'shell', command });
const EXEC = (...argv: string[]) => ({ form: 'exec', argv });
const RUN = { kind: 'run', heredocs: [], mounts: [] };
const COPY = { kind: 'copy', link: false, exclude: [], parents: false };
const ADD = { kind: 'add', link: false, exclude: [], keepGitDir: false };
const path = (p: string) => ({ kind: 'path', path: p });

describe('instruction parsing', () => {
  const good: [line: string, expected: Record<string, unknown>][] = [
    ['RUN echo hi', { ...RUN, command: SHELL('echo hi') }],
    ['run   echo   hi  ', { ...RUN, command: SHELL('echo   hi') }],
    ['RUN ["echo", "hi"]', { ...RUN, command: EXEC('echo', 'hi') }],
    ['RUN [ "echo" , "a b" ]', { ...RUN, command: EXEC('echo', 'a b') }],
    ['RUN []', { ...RUN, command: EXEC() }],
    ['RUN [echo, hi]', { ...RUN, command: SHELL('[echo, hi]') }],
    ['RUN ["echo", "hi"] && true', { ...RUN, command: SHELL('["echo", "hi"] && true') }],
    ['RUN ["echo", \'hi\']', { ...RUN, command: SHELL('["echo", \'hi\']') }],
    ['RUN --network=none wget x', { ...RUN, command: SHELL('wget x'), network: 'none' }],
    [
      'RUN --mount=type=cache,target=/root/.cache --mount=type=tmpfs,target=/t make',
      { ...RUN, command: SHELL('make'), mounts: ['type=cache,target=/root/.cache', 'type=tmpfs,target=/t'] },
    ],
    ['RUN --security=insecure id', { ...RUN, command: SHELL('id'), security: 'insecure' }],
    ['RUN -- --not-a-flag', { ...RUN, command: SHELL('--not-a-flag') }],
    ['CMD echo hi', { kind: 'cmd', command: SHELL('echo hi') }],
    ['CMD ["nginx", "-g", "daemon off;"]', { kind: 'cmd', command: EXEC('nginx', '-g', 'daemon off;') }],
    ['CMD', { kind: 'cmd', command: SHELL('') }],
    ['ENTRYPOINT ["/bin/app"]', { kind: 'entrypoint', command: EXEC('/bin/app') }],
    ['entrypoint exec app', { kind: 'entrypoint', command: SHELL('exec app') }],
    ['SHELL ["/bin/bash", "-c"]', { kind: 'shell', shell: ['/bin/bash', '-c'] }],
    ['ENV A=1', { kind: 'env', pairs: [{ key: 'A', value: '1' }] }],
    [
      'ENV A=1 B="two words" C=three\\ words',
      {
        kind: 'env',
        pairs: [
          { key: 'A', value: '1' },
          { key: 'B', value: '"two words"' },
          { key: 'C', value: 'three\\ words' },
        ],
      },
    ],
    ['ENV PATH=$PATH:/opt/bin', { kind: 'env', pairs: [{ key: 'PATH', value: '$PATH:/opt/bin' }] }],
    ['ENV EMPTY=', { kind: 'env', pairs: [{ key: 'EMPTY', value: '' }] }],
    ['ENV NAME some value here', { kind: 'env', pairs: [{ key: 'NAME', value: 'some value here' }] }],
    ['ENV NAME "quoted value"', { kind: 'env', pairs: [{ key: 'NAME', value: '"quoted value"' }] }],
    ['ENV A=b=c', { kind: 'env', pairs: [{ key: 'A', value: 'b=c' }] }],
    [
      'LABEL org.opencontainers.image.title="My App" version=1.0',
      {
        kind: 'label',
        pairs: [
          { key: 'org.opencontainers.image.title', value: '"My App"' },
          { key: 'version', value: '1.0' },
        ],
      },
    ],
    ['LABEL "quoted key"=v', { kind: 'label', pairs: [{ key: '"quoted key"', value: 'v' }] }],
    ['LABEL description this is legacy', { kind: 'label', pairs: [{ key: 'description', value: 'this is legacy' }] }],
    ['ARG V', { kind: 'arg', args: [{ name: 'V' }] }],
    ['ARG V=', { kind: 'arg', args: [{ name: 'V', default: '' }] }],
    [
      'ARG V=1 W X="a b"',
      { kind: 'arg', args: [{ name: 'V', default: '1' }, { name: 'W' }, { name: 'X', default: '"a b"' }] },
    ],
    ['EXPOSE 80 443/tcp 53/udp', { kind: 'expose', ports: ['443/tcp', '53/udp', '80'] }],
    ['EXPOSE $PORT', { kind: 'expose', ports: ['$PORT'] }],
    ['COPY a b /dest/', { ...COPY, sources: [path('a'), path('b')], dest: '/dest/' }],
    ['COPY ["a b", "/d e/"]', { ...COPY, sources: [path('a b')], dest: '/d e/' }],
    ['COPY "a b" c', { ...COPY, sources: [path('"a'), path('b"')], dest: 'c' }],
    [
      'COPY --from=build --chown=app:app --chmod=0755 --link /out /app',
      { ...COPY, sources: [path('/out')], dest: '/app', from: 'build', chown: 'app:app', chmod: '0755', link: true },
    ],
    ['COPY --from="my stage" a b', { ...COPY, sources: [path('a')], dest: 'b', from: 'my stage' }],
    [
      'COPY --exclude=*.md --exclude=tmp --parents src/ /app/',
      { ...COPY, sources: [path('src/')], dest: '/app/', exclude: ['*.md', 'tmp'], parents: true },
    ],
    ['COPY --link=false a b', { ...COPY, sources: [path('a')], dest: 'b' }],
    ['ADD https://example.com/x.tgz /opt/', { ...ADD, sources: [path('https://example.com/x.tgz')], dest: '/opt/' }],
    [
      'ADD --checksum=sha256:abc --chown=1:2 --keep-git-dir https://x/y /z',
      { ...ADD, sources: [path('https://x/y')], dest: '/z', checksum: 'sha256:abc', chown: '1:2', keepGitDir: true },
    ],
    ['WORKDIR /app', { kind: 'workdir', path: '/app' }],
    ['WORKDIR /a b', { kind: 'workdir', path: '/a b' }],
    ['USER app:app', { kind: 'user', user: 'app:app' }],
    ['VOLUME /data', { kind: 'volume', paths: ['/data'] }],
    ['VOLUME /a /b', { kind: 'volume', paths: ['/a', '/b'] }],
    ['VOLUME ["/a", "/b c"]', { kind: 'volume', paths: ['/a', '/b c'] }],
    ['STOPSIGNAL SIGTERM', { kind: 'stopsignal', signal: 'SIGTERM' }],
    ['MAINTAINER Jane <jane@example.com>', { kind: 'maintainer', name: 'Jane <jane@example.com>' }],
    ['HEALTHCHECK NONE', { kind: 'healthcheck', health: { test: ['NONE'] } }],
    ['healthcheck none', { kind: 'healthcheck', health: { test: ['NONE'] } }],
    [
      'HEALTHCHECK CMD curl -f http://localhost/',
      { kind: 'healthcheck', health: { test: ['CMD-SHELL', 'curl -f http://localhost/'] } },
    ],
    ['HEALTHCHECK cmd ["curl", "-f", "x"]', { kind: 'healthcheck', health: { test: ['CMD', 'curl', '-f', 'x'] } }],
    [
      'HEALTHCHECK --interval=30s --timeout=1m30s --start-period=1.5s --start-interval=500ms --retries=3 CMD true',
      {
        kind: 'healthcheck',
        health: {
          test: ['CMD-SHELL', 'true'],
          interval: 30e9,
          timeout: 90e9,
          startPeriod: 1.5e9,
          startInterval: 500e6,
          retries: 3,
        },
      },
    ],
    [
      'HEALTHCHECK --interval=0s --retries=0 CMD true',
      { kind: 'healthcheck', health: { test: ['CMD-SHELL', 'true'], retries: 0 } },
    ],
    ['ONBUILD RUN make', { kind: 'onbuild', expression: 'RUN make', trigger: { ...RUN, command: SHELL('make') } }],
    [
      'onbuild copy --chown=1 . /src',
      {
        kind: 'onbuild',
        expression: 'copy --chown=1 . /src',
        trigger: { ...COPY, sources: [path('.')], dest: '/src', chown: '1' },
      },
    ],
  ];
  for (const [line, expected] of good) {
    test(`parses ${line}`, () => {
      assert.deepEqual(only(line), expected);
    });
  }

  const bad: [line: string, message: string][] = [
    ['FOO bar', 'unknown instruction: FOO'],
    ['RUN --mount', 'missing a value on flag: mount'],
    ['RUN --network=bridge x', 'network mode "bridge" not supported; use one of: default, none, host'],
    ['RUN --nope=1 x', 'unknown flag: nope'],
    ['RUN [1, 2]', 'when using JSON array syntax, arrays must be comprised of strings only'],
    ['CMD --x=1 a', 'unknown flag: x'],
    ['SHELL /bin/sh -c', 'SHELL requires the arguments to be in JSON form'],
    ['SHELL []', 'SHELL requires at least one argument'],
    ['SHELL', 'SHELL requires at least one argument'],
    ['ENV', 'ENV requires at least one argument'],
    ['ENV ONLYKEY', 'ENV must have two arguments'],
    ['ENV A=1 B', 'Syntax error - can\'t find = in "B". Must be of the form: name=value'],
    ['ENV =x', 'ENV names can not be blank'],
    ['LABEL', 'LABEL requires at least one argument'],
    ['ARG', 'ARG requires at least one argument'],
    ['ARG =1', 'ARG names can not be blank'],
    ['EXPOSE', 'EXPOSE requires at least one argument'],
    [
      'COPY onlyone',
      'COPY requires at least two arguments, but only one was provided. Destination could not be determined.',
    ],
    ['ADD', 'ADD requires at least two arguments, but only one was provided. Destination could not be determined.'],
    ['COPY --from=a --from=b x y', 'duplicate flag specified: from'],
    ['COPY --link=maybe x y', 'expecting boolean value for flag link, not: maybe'],
    ['COPY --checksum=sha256:x a b', 'unknown flag: checksum'],
    ['ADD --from=x a b', 'unknown flag: from'],
    ['COPY a <<EOF\nbody\nEOF', 'COPY cannot accept a heredoc as a destination'],
    ['WORKDIR', 'WORKDIR requires exactly one argument'],
    ['USER', 'USER requires exactly one argument'],
    ['STOPSIGNAL', 'STOPSIGNAL requires exactly one argument'],
    ['MAINTAINER', 'MAINTAINER requires exactly one argument'],
    ['VOLUME', 'VOLUME requires at least one argument'],
    ['VOLUME ["/a", ""]', 'VOLUME specified can not be an empty string'],
    ['HEALTHCHECK', 'HEALTHCHECK requires at least one argument'],
    ['HEALTHCHECK NONE x', 'HEALTHCHECK NONE takes no arguments'],
    ['HEALTHCHECK --interval=1s NONE', 'unknown flag: interval'],
    ['HEALTHCHECK TEST x', 'Unknown type "TEST" in HEALTHCHECK (try CMD)'],
    ['HEALTHCHECK CMD', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK CMD []', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK --interval=5 CMD x', 'time: missing unit in duration "5"'],
    ['HEALTHCHECK --interval=5y CMD x', 'time: unknown unit "y" in duration "5y"'],
    ['HEALTHCHECK --interval=1ns CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --timeout=-1s CMD x', 'Interval "timeout" cannot be less than 1ms'],
    ['HEALTHCHECK --retries=-1 CMD x', '--retries cannot be negative (-1)'],
    ['HEALTHCHECK --retries=x CMD x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['ONBUILD', 'ONBUILD requires at least one argument'],
    ['ONBUILD ONBUILD RUN x', "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"],
    ['ONBUILD FROM x', "FROM isn't allowed as an ONBUILD trigger"],
    ['ONBUILD maintainer x', "MAINTAINER isn't allowed as an ONBUILD trigger"],
    ['ONBUILD BOGUS x', 'unknown instruction: BOGUS'],
  ];
  for (const [line, message] of bad) {
    test(`refuses ${line} with "${message}"`, () => {
      assert.throws(
        () => parseDockerfile(`FROM x\n${line}\n`),
        (e: unknown) =>
          isBerthError(e, 'invalid-argument') && e.message === `Dockerfile parse error line 2: ${message}`,
      );
    });
  }
});
