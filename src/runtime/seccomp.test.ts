import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerDefaultSeccompProfile } from '../spec/index.js';
import type { OciRuntime } from '../spec/index.js';
import { dockerDefaultCapabilities } from './caps.js';
import { kernelAtLeast, resolveSeccompProfile } from './seccomp.js';

const defaults = { capabilities: dockerDefaultCapabilities, arch: 'amd64', kernelRelease: '6.1.0-13-amd64' };

function rulesFor(seccomp: OciRuntime.LinuxSeccomp, name: string): OciRuntime.LinuxSyscall[] {
  return (seccomp.syscalls ?? []).filter((s) => s.names.includes(name));
}

test('the default profile for default capabilities on x86_64 is what Docker gives', () => {
  const seccomp = resolveSeccompProfile(dockerDefaultSeccompProfile, defaults);
  assert.equal(seccomp.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(seccomp.defaultErrnoRet, 1);
  assert.deepEqual(seccomp.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  assert.deepEqual(rulesFor(seccomp, 'mount'), [], 'CAP_SYS_ADMIN syscalls are not allowed');
  assert.deepEqual(rulesFor(seccomp, 'reboot'), [], 'CAP_SYS_BOOT syscalls are not allowed');
  assert.equal(rulesFor(seccomp, 'chroot').length, 1, 'CAP_SYS_CHROOT is a default capability');
  assert.deepEqual(
    rulesFor(seccomp, 'personality').map((r) => r.args?.[0]?.value),
    [0, 8, 131072, 131080, 4294967295],
  );
  const clone = rulesFor(seccomp, 'clone');
  assert.equal(clone.length, 1, 'only the namespace-flag-masked clone rule');
  assert.deepEqual(clone[0]?.args, [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }]);
  assert.deepEqual(rulesFor(seccomp, 'clone3'), [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  assert.equal(rulesFor(seccomp, 'ptrace').length, 1, 'ptrace is allowed on kernels from 4.8');
  assert.equal(rulesFor(seccomp, 'arch_prctl').length, 1);
  assert.deepEqual(rulesFor(seccomp, 'riscv_flush_icache'), []);
});

test('CAP_SYS_ADMIN allows the mount family and unrestricted clone', () => {
  const seccomp = resolveSeccompProfile(dockerDefaultSeccompProfile, {
    ...defaults,
    capabilities: [...dockerDefaultCapabilities, 'CAP_SYS_ADMIN'],
  });
  assert.equal(rulesFor(seccomp, 'mount').length, 1);
  assert.deepEqual(
    rulesFor(seccomp, 'clone').map((r) => r.args),
    [undefined],
  );
  assert.deepEqual(
    rulesFor(seccomp, 'clone3').map((r) => r.action),
    ['SCMP_ACT_ALLOW'],
  );
});

test('kernel and architecture conditions are honoured', () => {
  const old = resolveSeccompProfile(dockerDefaultSeccompProfile, { ...defaults, kernelRelease: '4.4.0' });
  assert.deepEqual(rulesFor(old, 'ptrace'), [], 'no ptrace before 4.8 without CAP_SYS_PTRACE');
  const arm = resolveSeccompProfile(dockerDefaultSeccompProfile, { ...defaults, arch: 'arm64' });
  assert.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  assert.deepEqual(rulesFor(arm, 'arch_prctl'), []);
  assert.equal(rulesFor(arm, 'set_tls').length, 1);
});

test('kernel versions compare by major and minor', () => {
  const cases: [string, string, boolean][] = [
    ['6.18.44-fc-v782', '4.8', true],
    ['4.8.0', '4.8', true],
    ['4.7.10', '4.8', false],
    ['10.0', '9.20', true],
  ];
  for (const [release, min, want] of cases) assert.equal(kernelAtLeast(release, min), want, `${release} >= ${min}`);
});
