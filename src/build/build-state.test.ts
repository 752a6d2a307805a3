import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  beginStage,
  expansionEnv,
  goList,
  goQuoteList,
  goQuoteRune,
  nopCreatedBy,
  runArgs,
  setEnv,
} from './build-state.js';
import { contextPath } from './context.js';
import { ArgScope } from './dockerfile/index.js';
import { cacheKey } from './step-commit.js';

const platform = { architecture: 'amd64', os: 'linux' };

test('Go formats of history text match what Docker prints', () => {
  const rows: [string, string][] = [
    [goQuoteList(['/bin/sh', '-c', 'echo "hi"']), '["/bin/sh" "-c" "echo \\"hi\\""]'],
    [goList(['/data', '/cache']), '[/data /cache]'],
    [goQuoteRune(0), "'\\x00'"],
    [goQuoteRune(2), "'\\x02'"],
    [goQuoteRune(10), "'\\n'"],
    [goQuoteRune(65), "'A'"],
  ];
  for (const [got, want] of rows) assert.equal(got, want);
});

const stage = (buildArgs: Record<string, string | null> = {}) =>
  beginStage(null, platform, { escape: '\\', args: ArgScope.global({ buildArgs }).stage() });

test('a stage on scratch gets the default PATH and the default shell in nop history', () => {
  const state = stage();
  assert.deepEqual(state.config.config?.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  assert.equal(nopCreatedBy(state, 'ENV A=1'), '/bin/sh -c #(nop)  ENV A=1');
  assert.equal(nopCreatedBy(state, 'WORKDIR /x', 'single'), '/bin/sh -c #(nop) WORKDIR /x');
});

test('ENV wins over an ARG of the same name, and RUN sees only unshadowed ARGs, sorted', () => {
  const state = stage({ B: '2' });
  state.args.declare('B');
  state.args.declare('A', '1');
  state.args.declare('UNSET');
  state.args.declare('X', 'from-arg');
  setEnv(state, 'X', 'from-env');
  assert.equal(expansionEnv(state).get('X'), 'from-env');
  assert.deepEqual(runArgs(state).history, ['A=1', 'B=2']);
});

test('proxy build args reach RUN undeclared but stay out of history, and are never unused', () => {
  const global = ArgScope.global({ buildArgs: { HTTP_PROXY: 'http://p', UNUSED: 'b', OTHER: null } });
  const state = beginStage(null, platform, { escape: '\\', args: global.stage() });
  state.args.declare('OTHER', 'default');
  assert.deepEqual(runArgs(state), { history: ['OTHER=default'], hidden: ['HTTP_PROXY=http://p'] });
  assert.deepEqual(global.unusedBuildArgs(), ['UNUSED']);
});

test('context paths are cleaned and may not leave the context', () => {
  const good: [string, string][] = [
    ['.', ''],
    ['/', ''],
    ['./src/../app', 'app'],
    ['/abs/path/', 'abs/path'],
  ];
  for (const [input, want] of good) assert.equal(contextPath(input), want);
  for (const bad of ['..', '../x', 'a/../../b']) {
    assert.throws(() => contextPath(bad), /forbidden path outside the build context/);
  }
});

test('a cache key changes with the parent, the instruction and the source content', () => {
  const base = cacheKey(null, { createdBy: 'RUN x' });
  assert.equal(cacheKey(null, { createdBy: 'RUN x' }), base);
  assert.notEqual(cacheKey('sha256:1' as never, { createdBy: 'RUN x' }), base);
  assert.notEqual(cacheKey(null, { createdBy: 'RUN y' }), base);
  assert.notEqual(cacheKey(null, { createdBy: 'RUN x', cacheExtra: 'h' }), base);
});
