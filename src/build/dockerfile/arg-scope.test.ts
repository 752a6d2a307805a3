import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgScope, platformArgs } from './index.js';

const AUTOMATIC = platformArgs(
  { os: 'linux', architecture: 'arm', variant: 'v7' },
  { os: 'linux', architecture: 'amd64' },
);

describe('ArgScope', () => {
  test('gives global ARGs to FROM lines but not to stages that do not redeclare them', () => {
    const global = ArgScope.global({});
    global.declare('V', '1');
    assert.equal(global.value('V'), '1');
    const stage = global.stage();
    assert.equal(stage.value('V'), undefined);
    stage.declare('V');
    assert.equal(stage.value('V'), '1');
  });

  test('lets a build arg override a default, globally and in a stage', () => {
    const global = ArgScope.global({ buildArgs: { V: 'cli', W: 'cli-w' } });
    global.declare('V', '1');
    assert.equal(global.value('V'), 'cli');
    const stage = global.stage();
    stage.declare('V');
    stage.declare('W', 'default');
    assert.deepEqual([stage.value('V'), stage.value('W')], ['cli', 'cli-w']);
  });

  test('prefers the stage default over the global one for a redeclared ARG', () => {
    const global = ArgScope.global({});
    global.declare('V', 'global');
    const stage = global.stage();
    stage.declare('V', 'stage');
    assert.equal(stage.value('V'), 'stage');
  });

  test('leaves a declared ARG without default or build arg unset', () => {
    const stage = ArgScope.global({ buildArgs: { OTHER: 'x' } }).stage();
    stage.declare('V');
    assert.equal(stage.isDeclared('V'), true);
    assert.equal(stage.value('V'), undefined);
    assert.deepEqual([...stage.values()], []);
  });

  test('ignores a build arg given without a value', () => {
    const stage = ArgScope.global({ buildArgs: { V: null } }).stage();
    stage.declare('V', 'default');
    assert.equal(stage.value('V'), 'default');
  });

  test('passes proxy build args through without a declaration', () => {
    const global = ArgScope.global({ buildArgs: { HTTP_PROXY: 'http://proxy:3128' } });
    const stage = global.stage();
    assert.equal(stage.value('HTTP_PROXY'), 'http://proxy:3128');
    assert.equal(stage.value('https_proxy'), undefined);
    assert.deepEqual([...stage.values()], [['HTTP_PROXY', 'http://proxy:3128']]);
    assert.deepEqual(global.unusedBuildArgs(), []);
  });

  test('predefines the platform args globally, and in a stage once declared', () => {
    const global = ArgScope.global({ automatic: AUTOMATIC });
    assert.equal(global.value('TARGETPLATFORM'), 'linux/arm/v7');
    assert.equal(global.value('BUILDPLATFORM'), 'linux/amd64');
    assert.equal(global.value('BUILDVARIANT'), '');
    const stage = global.stage();
    assert.equal(stage.value('TARGETARCH'), undefined);
    stage.declare('TARGETARCH');
    assert.equal(stage.value('TARGETARCH'), 'arm');
  });

  test('lists values in declaration order and merges them under ENV', () => {
    const stage = ArgScope.global({ buildArgs: { B: 'b' } }).stage();
    stage.declare('B');
    stage.declare('A', 'a');
    stage.declare('PATH', '/arg');
    assert.deepEqual(
      [...stage.values()],
      [
        ['B', 'b'],
        ['A', 'a'],
        ['PATH', '/arg'],
      ],
    );
    const env = stage.expansionEnv([['PATH', '/usr/bin']]);
    assert.deepEqual(
      [...env],
      [
        ['PATH', '/usr/bin'],
        ['B', 'b'],
        ['A', 'a'],
      ],
    );
  });

  test('reports build args that no ARG declared, sorted, across stages', () => {
    const global = ArgScope.global({
      buildArgs: { ZED: '1', USED_GLOBAL: '1', USED_STAGE: '1', ALPHA: '1', no_proxy: 'x', TARGETOS: 'x' },
      automatic: AUTOMATIC,
    });
    global.declare('USED_GLOBAL');
    global.stage().declare('USED_STAGE');
    assert.deepEqual(global.unusedBuildArgs(), ['ALPHA', 'ZED']);
  });
});

describe('platformArgs', () => {
  test('spells out the TARGET and BUILD families', () => {
    assert.deepEqual(
      platformArgs({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      {
        TARGETPLATFORM: 'linux/amd64',
        TARGETOS: 'linux',
        TARGETARCH: 'amd64',
        TARGETVARIANT: '',
        BUILDPLATFORM: 'linux/arm64/v8',
        BUILDOS: 'linux',
        BUILDARCH: 'arm64',
        BUILDVARIANT: 'v8',
      },
    );
  });
});
