import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeSpecError, runtimeStateError, validateRuntimeSpec, validateRuntimeState } from './oci-runtime.js';
import { dockerDefaultSeccompProfile } from './seccomp-default.js';

const spec = {
  ociVersion: '1.2.0',
  process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['sh'], env: ['PATH=/usr/bin:/bin'], cwd: '/' },
  root: { path: 'rootfs', readonly: true },
  hostname: 'berth',
  mounts: [{ destination: '/proc', type: 'proc', source: 'proc' }],
  linux: {
    namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'network', path: '/run/netns/x' }],
    seccomp: { defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], syscalls: [] },
    resources: { memory: { limit: 1 << 20 }, pids: { limit: 100 } },
  },
};

describe('validateRuntimeSpec', () => {
  const rows: { name: string; value: unknown; error?: RegExp }[] = [
    { name: 'accepts a Linux container config', value: spec },
    {
      name: 'rejects a config without ociVersion',
      value: { ...spec, ociVersion: undefined },
      error: /^\(root\): must have required property 'ociVersion'$/,
    },
    {
      name: 'rejects a process without cwd',
      value: { ...spec, process: { args: ['sh'] } },
      error: /^\/process: must have required property 'cwd'$/,
    },
    {
      name: 'rejects an unknown namespace type',
      value: { ...spec, linux: { namespaces: [{ type: 'pids' }] } },
      error: /^\/linux\/namespaces\/0\/type: must be equal to one of the allowed values/,
    },
    {
      name: 'rejects a negative uid',
      value: { ...spec, process: { ...spec.process, user: { uid: -1, gid: 0 } } },
      error: /^\/process\/user\/uid: must be >= 0$/,
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      assert.equal(validateRuntimeSpec(row.value), row.error === undefined);
      const error = runtimeSpecError(row.value);
      if (row.error === undefined) assert.equal(error, null);
      else assert.match(error ?? '', row.error);
    });
  }
});

describe('validateRuntimeState', () => {
  test('accepts the state runc reports for a running container', () => {
    const state = { ociVersion: '1.2.0', id: 'abc', status: 'running', pid: 4242, bundle: '/run/berth/abc' };
    assert.ok(validateRuntimeState(state));
  });

  test("rejects runc's own 'paused' status, which the spec's lifecycle does not have", () => {
    const state = { ociVersion: '1.2.0', id: 'abc', status: 'paused', bundle: '/run/berth/abc' };
    assert.match(runtimeStateError(state) ?? '', /^\/status: must be equal to one of the allowed values$/);
  });
});

test("Docker's default seccomp profile denies by default and allows a large syscall group", () => {
  assert.equal(dockerDefaultSeccompProfile.defaultAction, 'SCMP_ACT_ERRNO');
  const allowed = dockerDefaultSeccompProfile.syscalls.filter((rule) => rule.action === 'SCMP_ACT_ALLOW');
  assert.ok(allowed.some((rule) => rule.names.includes('read') && rule.includes === undefined));
});
