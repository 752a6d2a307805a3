import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPathEnv, mergeImageDefaults, processArgs, processEnv } from './spec-process.js';
import type { ContainerSettings } from './spec-types.js';

test('entrypoint and cmd merge with the image as Docker merges them', () => {
  const image: ContainerSettings = { Entrypoint: ['/entry'], Cmd: ['image-cmd'] };
  const cases: { name: string; request: ContainerSettings; args: string[] | 'error' }[] = [
    { name: 'image defaults', request: {}, args: ['/entry', 'image-cmd'] },
    { name: 'request cmd replaces image cmd', request: { Cmd: ['mine'] }, args: ['/entry', 'mine'] },
    { name: 'request entrypoint drops image cmd', request: { Entrypoint: ['/other'] }, args: ['/other'] },
    {
      name: 'request entrypoint and cmd',
      request: { Entrypoint: ['/other'], Cmd: ['x'] },
      args: ['/other', 'x'],
    },
    { name: 'null entrypoint means unset', request: { Entrypoint: null, Cmd: null }, args: ['/entry', 'image-cmd'] },
    { name: 'empty entrypoint keeps image cmd only', request: { Entrypoint: [] }, args: ['image-cmd'] },
    { name: '--entrypoint "" with cmd', request: { Entrypoint: [''], Cmd: ['sh'] }, args: ['sh'] },
    { name: '--entrypoint "" without cmd', request: { Entrypoint: [''] }, args: 'error' },
  ];
  for (const { name, request, args } of cases) {
    const merged = mergeImageDefaults(request, image);
    if (args === 'error') assert.throws(() => processArgs(merged), { message: 'no command specified' }, name);
    else assert.deepEqual(processArgs(merged), args, name);
  }
});

test('merging fills unset fields from the image and keeps the request', () => {
  const merged = mergeImageDefaults(
    { Env: ['A=req'], Labels: { b: 'req' }, WorkingDir: '' },
    { Env: ['A=img', 'B=img'], Labels: { a: 'img', b: 'img' }, WorkingDir: '/srv', User: 'app', StopSignal: 'SIGINT' },
  );
  assert.deepEqual(merged.Env, ['A=req', 'B=img']);
  assert.deepEqual(merged.Labels, { a: 'img', b: 'req' });
  assert.equal(merged.WorkingDir, '/srv');
  assert.equal(merged.User, 'app');
  assert.equal(merged.StopSignal, 'SIGINT');
  const again = mergeImageDefaults(merged, { Env: ['A=img', 'B=img'], Cmd: ['x'] });
  assert.deepEqual(again.Env, merged.Env, 'merging twice changes nothing');
});

test('process env puts PATH and HOSTNAME first and lets the container override them', () => {
  const cases: { name: string; config: ContainerSettings; want: string[] }[] = [
    { name: 'defaults', config: {}, want: [`PATH=${defaultPathEnv}`, 'HOSTNAME=h'] },
    {
      name: 'image PATH replaces the default in place',
      config: { Env: ['PATH=/bin', 'X=1'] },
      want: ['PATH=/bin', 'HOSTNAME=h', 'X=1'],
    },
    { name: 'tty adds TERM', config: { Tty: true }, want: [`PATH=${defaultPathEnv}`, 'HOSTNAME=h', 'TERM=xterm'] },
    { name: 'a bare key unsets', config: { Env: ['X=1', 'X'] }, want: [`PATH=${defaultPathEnv}`, 'HOSTNAME=h'] },
    {
      name: 'values may contain =',
      config: { Env: ['Q=a=b'] },
      want: [`PATH=${defaultPathEnv}`, 'HOSTNAME=h', 'Q=a=b'],
    },
  ];
  for (const { name, config, want } of cases) assert.deepEqual(processEnv(config, 'h'), want, name);
});
