import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBody, type CreateBody, type RunFlags } from './run-config.js';

const env: Record<string, string> = { HOME: '/home/me', EDITOR: 'vi' };
const inputs = { lookupEnv: (name: string) => env[name] };

function body(flags: Partial<RunFlags>, envFiles: string[] = []): CreateBody {
  return createBody('busybox', [], { healthcheck: true, ...flags }, { ...inputs, envFiles });
}

describe('createBody', () => {
  const cases: Array<[string, Partial<RunFlags>, (b: CreateBody) => unknown, unknown]> = [
    [
      '-e values pass through and a bare name takes the caller’s value',
      { env: ['A=1', 'HOME', 'UNSET'] },
      (b) => b.Env,
      ['A=1', 'HOME=/home/me', 'UNSET'],
    ],
    [
      '--memory and --cpus become Memory and NanoCpus',
      { memory: 536870912, cpus: 1.5e9 },
      (b) => [b.HostConfig.Memory, b.HostConfig.NanoCpus],
      [536870912, 1.5e9],
    ],
    [
      '--device splits host path, container path and access as the docker CLI does',
      { device: ['/dev/fuse', '/dev/sda:/dev/xvda', '/dev/null:r', '/dev/zero:/dev/z:mw'] },
      (b) => b.HostConfig.Devices,
      [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'r' },
        { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'mw' },
      ],
    ],
    [
      '--pid and --ipc become PidMode and IpcMode',
      { pid: 'container:app', ipc: 'host' },
      (b) => [b.HostConfig.PidMode, b.HostConfig.IpcMode],
      ['container:app', 'host'],
    ],
    [
      'on-failure:3 keeps its retry count',
      { restart: 'on-failure:3' },
      (b) => b.HostConfig.RestartPolicy,
      { Name: 'on-failure', MaximumRetryCount: 3 },
    ],
    [
      'no restart flag means the "no" policy',
      {},
      (b) => b.HostConfig.RestartPolicy,
      { Name: 'no', MaximumRetryCount: 0 },
    ],
    [
      '--tmpfs keeps its options after the first colon',
      { tmpfs: ['/run:size=64m', '/tmp'] },
      (b) => b.HostConfig.Tmpfs,
      { '/run': 'size=64m', '/tmp': '' },
    ],
    [
      'capabilities are passed as given',
      { capAdd: ['NET_ADMIN'], capDrop: ['ALL'] },
      (b) => [b.HostConfig.CapAdd, b.HostConfig.CapDrop],
      [['NET_ADMIN'], ['ALL']],
    ],
    [
      'security options are passed as given',
      { securityOpt: ['no-new-privileges'] },
      (b) => b.HostConfig.SecurityOpt,
      ['no-new-privileges'],
    ],
    ['labels without a value get an empty one', { label: ['a=b=c', 'flag'] }, (b) => b.Labels, { a: 'b=c', flag: '' }],
    ['an empty --entrypoint resets the image’s', { entrypoint: '' }, (b) => b.Entrypoint, ['']],
    [
      'health durations are in nanoseconds',
      {
        healthCmd: 'true',
        healthInterval: '30s',
        healthTimeout: '1m30s',
        healthRetries: 3,
        healthStartPeriod: '500ms',
      },
      (b) => b.Healthcheck,
      { Test: ['CMD-SHELL', 'true'], Interval: 30e9, Timeout: 90e9, StartPeriod: 5e8, StartInterval: 0, Retries: 3 },
    ],
    ['--no-healthcheck disables the image’s check', { healthcheck: false }, (b) => b.Healthcheck, { Test: ['NONE'] }],
    ['no health flag leaves the image’s check alone', {}, (b) => b.Healthcheck, undefined],
    [
      'attached runs attach stdout and stderr',
      {},
      (b) => [b.AttachStdout, b.AttachStderr, b.AttachStdin],
      [true, true, false],
    ],
    [
      'detached runs attach nothing',
      { detach: true, interactive: true },
      (b) => [b.AttachStdout, b.AttachStdin, b.OpenStdin],
      [false, false, true],
    ],
    [
      '--init, --pids-limit, --read-only and --privileged reach HostConfig',
      { init: true, pidsLimit: 10, readOnly: true, privileged: true },
      (b) => [b.HostConfig.Init, b.HostConfig.PidsLimit, b.HostConfig.ReadonlyRootfs, b.HostConfig.Privileged],
      [true, 10, true, true],
    ],
    [
      'stop signal and timeout go in the config',
      { stopSignal: 'SIGUSR1', stopTimeout: 3 },
      (b) => [b.StopSignal, b.StopTimeout],
      ['SIGUSR1', 3],
    ],
  ];
  for (const [name, flags, pick, want] of cases) {
    test(name, () => assert.deepEqual(pick(body(flags)), want));
  }

  test('env files come before -e flags, comments and blank lines skipped', () => {
    const file = '# comment\n\nA=1\n  B = spaced \nEDITOR\nMISSING\n';
    assert.throws(() => body({}, [file]), /variable 'B ' contains whitespaces/);
    assert.deepEqual(body({ env: ['C=3'] }, ['# c\nA=1\nEDITOR\nMISSING\nQ="quoted"\n']).Env, [
      'A=1',
      'EDITOR=vi',
      'Q="quoted"',
      'C=3',
    ]);
  });

  const bad: Array<[string, Partial<RunFlags>, RegExp]> = [
    ['a retry count on another policy', { restart: 'always:3' }, /cannot be used with restart policy 'always'/],
    ['a retry count that is not a number', { restart: 'on-failure:x' }, /must be an integer/],
    ['--restart with --rm', { restart: 'always', rm: true }, /Conflicting options: --restart and --rm/],
    ['a malformed health interval', { healthInterval: '10' }, /invalid duration "10"/],
  ];
  for (const [name, flags, message] of bad) {
    test(`rejects ${name}`, () => assert.throws(() => body(flags), message));
  }
});
