import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyConfigChanges, splitWords } from './config-changes.js';

test('change lines set the container defaults Docker allows', () => {
  const cases: { changes: string[]; want: object }[] = [
    { changes: ['CMD ["sh"]'], want: { Cmd: ['sh'] } },
    { changes: ['CMD echo hi'], want: { Cmd: ['/bin/sh', '-c', 'echo hi'] } },
    { changes: ['ENTRYPOINT ["/bin/busybox"]'], want: { Entrypoint: ['/bin/busybox'] } },
    { changes: ['ENV A=1 B="two words"'], want: { Env: ['A=1', 'B=two words'] } },
    { changes: ['ENV A 1 2'], want: { Env: ['A=1 2'] } },
    { changes: ['ENV A=1', 'ENV A=2'], want: { Env: ['A=2'] } },
    { changes: ['WORKDIR /srv'], want: { WorkingDir: '/srv' } },
    { changes: ['USER nobody'], want: { User: 'nobody' } },
    { changes: ['EXPOSE 80 53/udp'], want: { ExposedPorts: { '80/tcp': {}, '53/udp': {} } } },
    { changes: ['LABEL a=b c="d e"'], want: { Labels: { a: 'b', c: 'd e' } } },
    { changes: ['VOLUME ["/data"]', 'VOLUME /a /b'], want: { Volumes: { '/data': {}, '/a': {}, '/b': {} } } },
    { changes: ['STOPSIGNAL SIGINT'], want: { StopSignal: 'SIGINT' } },
    { changes: ['cmd ["x"]'], want: { Cmd: ['x'] } },
  ];
  for (const { changes, want } of cases) {
    assert.deepEqual(applyConfigChanges({}, changes), want, changes.join(' | '));
  }
});

test('instructions that make no sense on an existing image are refused', () => {
  for (const bad of ['RUN echo', 'FROM x', 'COPY a b', 'WORKDIR', 'ENV =x', 'LABEL "unterminated']) {
    assert.throws(() => applyConfigChanges({}, [bad]), /not a valid change command|requires|blank|unmatched/, bad);
  }
});

test('changes never modify the config they start from', () => {
  const base = { Env: ['A=1'] };
  applyConfigChanges(base, ['ENV A=2']);
  assert.deepEqual(base, { Env: ['A=1'] });
});

test('words split on unquoted space with quotes and escapes', () => {
  assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
  assert.deepEqual(splitWords('  '), []);
  assert.deepEqual(splitWords('x=""'), ['x=']);
});
