import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildExecProcess, type ExecProcessInput } from './exec-process.js';

const base: ExecProcessInput = {
  base: {
    terminal: false,
    args: ['sleep', '1000'],
    env: ['PATH=/bin', 'HOSTNAME=box'],
    cwd: '/srv',
    user: { uid: 0, gid: 0 },
    capabilities: { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] },
    apparmorProfile: 'docker-default',
    noNewPrivileges: true,
    rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
  },
  container: { Env: ['A=container', 'B=kept'] },
  hostname: 'box',
  args: ['echo', 'hi'],
  env: [],
  workingDir: '',
  user: { uid: 1234, gid: 55, additionalGids: [7], home: '/' },
  tty: false,
};

describe('buildExecProcess', () => {
  test("keeps the container's capabilities, AppArmor profile, no-new-privileges and rlimits", () => {
    const p = buildExecProcess(base);
    assert.deepEqual(p.capabilities, base.base.capabilities);
    assert.equal(p.apparmorProfile, 'docker-default');
    assert.equal(p.noNewPrivileges, true);
    assert.deepEqual(p.rlimits, base.base.rlimits);
  });

  test('replaces the command, user and terminal with the exec’s', () => {
    const p = buildExecProcess(base);
    assert.deepEqual(p.args, ['echo', 'hi']);
    assert.deepEqual(p.user, { uid: 1234, gid: 55, additionalGids: [7] });
    assert.equal(p.terminal, false);
  });

  const cases: { name: string; input: Partial<ExecProcessInput>; cwd?: string; env?: string[] }[] = [
    { name: 'the container’s working directory is kept when the exec names none', input: {}, cwd: '/srv' },
    { name: 'the exec’s working directory wins', input: { workingDir: '/etc' }, cwd: '/etc' },
    {
      name: 'the environment is the container’s with the exec’s variables laid over it',
      input: { env: ['A=exec', 'C=new'] },
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'HOSTNAME=box',
        'A=exec',
        'B=kept',
        'C=new',
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = buildExecProcess({ ...base, ...c.input });
      if (c.cwd !== undefined) assert.equal(p.cwd, c.cwd);
      if (c.env !== undefined) assert.deepEqual(p.env, c.env);
    });
  }

  test('privileged gets the capabilities it is given', () => {
    const caps = ['CAP_CHOWN', 'CAP_SYS_ADMIN'];
    const p = buildExecProcess({ ...base, privilegedCapabilities: caps });
    assert.deepEqual(p.capabilities, { bounding: caps, effective: caps, permitted: caps });
  });

  test('an empty command and a relative working directory are refused', () => {
    assert.throws(() => buildExecProcess({ ...base, args: [] }), /No exec command specified/);
    assert.throws(() => buildExecProcess({ ...base, workingDir: 'tmp' }), /needs to be an absolute path/);
  });
});
