import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeSpecError } from '../spec/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { dockerDefaultCapabilities } from './caps.js';
import { buildRuntimeSpec } from './spec.js';
import { bindMount } from './spec-mounts.js';
import { dockerMaskedPaths, dockerReadonlyPaths } from './spec-linux.js';
import { testInput } from './spec-testing.js';

function build(hostConfig: Api.HostConfig = {}, more: Parameters<typeof testInput>[0] = {}): OciRuntime.Spec {
  const spec = buildRuntimeSpec(testInput({ hostConfig, ...more }));
  assert.equal(runtimeSpecError(spec), null);
  return spec;
}

function mount(spec: OciRuntime.Spec, destination: string): OciRuntime.Mount | undefined {
  return spec.mounts?.find((m) => m.destination === destination);
}

test('a default container gets Docker defaults', () => {
  const spec = build();
  assert.equal(spec.hostname, 'f00dfeedc0de');
  assert.deepEqual(spec.process?.args, ['sh']);
  assert.equal(spec.process?.cwd, '/');
  assert.deepEqual(spec.process?.capabilities, {
    bounding: dockerDefaultCapabilities,
    effective: dockerDefaultCapabilities,
    permitted: dockerDefaultCapabilities,
  });
  assert.deepEqual(spec.process?.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.equal(spec.process?.noNewPrivileges, false);
  assert.deepEqual(spec.linux?.maskedPaths, dockerMaskedPaths);
  assert.deepEqual(spec.linux?.readonlyPaths, dockerReadonlyPaths);
  assert.deepEqual(
    spec.linux?.namespaces?.map((n) => n.type),
    ['mount', 'network', 'uts', 'pid', 'ipc'],
  );
  assert.equal(spec.linux?.cgroupsPath, `/berth/${testInput().id}`);
  assert.equal(spec.linux?.seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(spec.linux?.resources?.devices?.[0]?.allow, false);
  assert.equal(spec.root?.readonly, false);
  assert.deepEqual(
    spec.mounts?.map((m) => m.destination),
    ['/proc', '/dev', '/sys', '/dev/pts', '/dev/mqueue', '/dev/shm', '/sys/fs/cgroup'],
  );
  assert.ok(mount(spec, '/dev/shm')?.options?.includes('size=67108864'));
  assert.deepEqual(spec.linux?.sysctl, {
    'net.ipv4.ip_unprivileged_port_start': '0',
    'net.ipv4.ping_group_range': '0 2147483647',
  });
});

test('cgroup v2 adds a cgroup namespace; host and joined networks change the network namespace', () => {
  const v2 = build({}, { host: { ...testInput().host, cgroupV2: true } });
  assert.ok(v2.linux?.namespaces?.some((n) => n.type === 'cgroup'));
  const joined = build({}, { network: { kind: 'path', path: '/run/netns/x' } });
  assert.deepEqual(joined.linux?.namespaces?.[1], { type: 'network', path: '/run/netns/x' });
  const host = build({ UTSMode: 'host', PidMode: 'host' }, { network: { kind: 'host' } });
  assert.deepEqual(
    host.linux?.namespaces?.map((n) => n.type),
    ['mount', 'ipc'],
  );
  assert.equal(host.hostname, undefined);
  assert.deepEqual(host.linux?.sysctl, {});
});

test('privileged containers get everything and no confinement', () => {
  const spec = build({ Privileged: true, ReadonlyRootfs: true });
  assert.equal(spec.process?.capabilities?.bounding?.length, 41);
  assert.deepEqual(spec.linux?.maskedPaths, []);
  assert.deepEqual(spec.linux?.readonlyPaths, []);
  assert.equal(spec.linux?.seccomp, undefined);
  assert.deepEqual(spec.linux?.resources?.devices, [{ allow: true, access: 'rwm' }]);
  assert.ok(!mount(spec, '/sys')?.options?.includes('ro'), '/sys is writable');
  assert.ok(!mount(spec, '/sys/fs/cgroup')?.options?.includes('ro'));
});

test('security options change no-new-privileges and seccomp', () => {
  const profile = JSON.stringify({
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [{ name: 'mkdir', action: 'SCMP_ACT_ERRNO' }],
  });
  const cases: { opts: string[]; nnp: boolean; seccomp: OciRuntime.LinuxSeccomp | undefined | 'default' }[] = [
    { opts: ['no-new-privileges'], nnp: true, seccomp: 'default' },
    { opts: ['no-new-privileges:true'], nnp: true, seccomp: 'default' },
    { opts: ['no-new-privileges=false'], nnp: false, seccomp: 'default' },
    { opts: ['seccomp=unconfined'], nnp: false, seccomp: undefined },
    { opts: ['apparmor=unconfined', 'label=disable'], nnp: false, seccomp: 'default' },
    {
      opts: [`seccomp=${profile}`],
      nnp: false,
      seccomp: {
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }],
      },
    },
  ];
  for (const { opts, nnp, seccomp } of cases) {
    const spec = build({ SecurityOpt: opts });
    assert.equal(spec.process?.noNewPrivileges, nnp, opts.join(' '));
    if (seccomp === 'default') assert.equal(spec.linux?.seccomp?.defaultErrnoRet, 1, opts.join(' '));
    else assert.deepEqual(spec.linux?.seccomp, seccomp, opts.join(' '));
  }
  for (const bad of ['bogus', 'foo=bar', 'no-new-privileges=maybe']) {
    assert.throws(() => build({ SecurityOpt: [bad] }), { kind: 'invalid-argument', message: /invalid --security-opt/ });
  }
  assert.throws(() => build({ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_NOPE"}'] }), {
    kind: 'invalid-argument',
    message: /invalid container configuration/,
  });
});

test('capabilities from CapAdd and CapDrop gate seccomp rules', () => {
  const spec = build({ CapAdd: ['SYS_ADMIN'], CapDrop: ['chown'] });
  const caps = spec.process?.capabilities?.effective ?? [];
  assert.ok(caps.includes('CAP_SYS_ADMIN') && !caps.includes('CAP_CHOWN'));
  assert.ok(spec.linux?.seccomp?.syscalls?.some((s) => s.names.includes('mount')));
});

test('read-only rootfs, tmpfs, caller mounts, etc files and init', () => {
  const spec = build(
    { ReadonlyRootfs: true, Tmpfs: { '/run': 'size=1m' }, Init: true, ShmSize: 1024 * 1024 },
    {
      mounts: [bindMount('/srv/data', '/data', { readonly: true }), bindMount('/host/dev', '/dev')],
      etcFiles: { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' },
      config: { Cmd: ['sh'], WorkingDir: '/work', Tty: true, Hostname: 'box' },
    },
  );
  assert.equal(spec.root?.readonly, true);
  assert.ok(mount(spec, '/sys/fs/cgroup')?.options?.includes('ro'));
  assert.ok(!mount(spec, '/proc')?.options?.includes('ro'));
  assert.deepEqual(mount(spec, '/run')?.options, ['noexec', 'nosuid', 'nodev', 'size=1m']);
  assert.deepEqual(mount(spec, '/data')?.options, ['rbind', 'rprivate', 'ro']);
  assert.equal(mount(spec, '/dev')?.source, '/host/dev', 'a user /dev replaces the default /dev');
  assert.equal(mount(spec, '/dev/shm'), undefined, 'and the defaults under it');
  assert.equal(mount(spec, '/etc/hosts')?.source, '/c/hosts');
  assert.equal(mount(spec, '/dev/init')?.source, '/usr/bin/tini-static');
  assert.deepEqual(spec.process?.args, ['/dev/init', '--', 'sh']);
  assert.equal(spec.process?.cwd, '/work');
  assert.equal(spec.process?.terminal, true);
  assert.equal(spec.hostname, 'box');
  assert.ok(spec.process?.env?.includes('HOSTNAME=box'));
  const destinations = spec.mounts?.map((m) => m.destination) ?? [];
  assert.ok(destinations.indexOf('/dev') < destinations.indexOf('/dev/init'), 'parents before children');
});

test('settings Docker refuses are refused', () => {
  const cases: [Api.HostConfig, Parameters<typeof testInput>[0], RegExp][] = [
    [{}, { config: { WorkingDir: 'rel', Cmd: ['sh'] } }, /needs to be an absolute path/],
    [{}, { config: {} }, /no command specified/],
    [{ OomScoreAdj: 2000 }, {}, /range for oom score adj/],
    [{ CapAdd: ['NOPE'] }, {}, /unknown capability/],
  ];
  for (const [hc, more, message] of cases) assert.throws(() => build(hc, more), { message });
  assert.throws(() => build({ UTSMode: 'container:abc' }), /invalid UTS mode/);
});

test("--pid and --ipc container:<x> join the namespaces of x's init", () => {
  const joined = { pid: '/proc/42/ns/pid', ipc: '/proc/42/ns/ipc' };
  const spec = build({ PidMode: 'container:abc', IpcMode: 'container:abc' }, { joined });
  const ns = spec.linux?.namespaces ?? [];
  assert.deepEqual(
    ns.find((n) => n.type === 'pid'),
    { type: 'pid', path: '/proc/42/ns/pid' },
  );
  assert.deepEqual(
    ns.find((n) => n.type === 'ipc'),
    { type: 'ipc', path: '/proc/42/ns/ipc' },
  );
});
