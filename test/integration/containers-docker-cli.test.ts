import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';
import { packTar } from '../support/images.js';

const execFileAsync = promisify(execFile);

describe('containers run through the docker CLI on berthd (needs root: runc, conmon, overlayfs)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);

  test('run --rm prints the output and leaves nothing behind', async () => {
    assert.equal(await ok(['run', '--rm', 'busybox', 'echo', 'hi']), 'hi');
    assert.equal(await ok(['ps', '-aq']), '');
  });

  test('exit codes are exact: 3 from the command, 137 when killed, 127 and 126 for exec errors', async () => {
    assert.equal((await d.docker(['run', '--name', 'three', 'busybox', 'sh', '-c', 'exit 3'])).code, 3);
    assert.equal(await ok(['wait', 'three']), '3');
    await ok(['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '100']);
    await ok(['kill', 'sleeper']);
    assert.equal(await ok(['wait', 'sleeper']), '137');
    const missing = await d.docker(['run', '--rm', 'busybox', 'no-such-command']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /executable file not found/);
    assert.equal((await d.docker(['run', '--rm', 'busybox', '/etc/passwd'])).code, 126);
    await ok(['rm', 'three', 'sleeper']);
  });

  test('run -d, ps, logs -f, stop and rm behave like Docker', async () => {
    const id = await ok([
      'run',
      '-d',
      '--name',
      'web',
      'busybox',
      'sh',
      '-c',
      'echo one; echo two >&2; trap "exit 0" TERM; sleep 100 & wait',
    ]);
    assert.match(id, /^[a-f0-9]{64}$/);
    assert.match(await ok(['ps']), /web/);
    const logs = await d.docker(['logs', 'web']);
    assert.equal(logs.stdout, 'one\n');
    assert.equal(logs.stderr, 'two\n');
    const follow = d.docker(['logs', '-f', 'web']);
    await ok(['stop', 'web']);
    assert.equal((await follow).stdout, 'one\n', 'logs -f ends when the container stops');
    assert.equal(await ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'web']), 'exited 0');
    assert.doesNotMatch(await ok(['ps']), /web/);
    assert.match(await ok(['ps', '-a', '--filter', 'status=exited']), /web/);
    await ok(['rm', 'web']);
    assert.ok(!existsSync(`${d.dataRoot}/containers/${id}`), 'the container directory is gone');
  });

  test('containers from one image are independent; diff shows the writable layer; commit makes a new image', async () => {
    const script = (i: number) => `echo mine-${i} > /file-${i}; rm /bin/vi; sleep 0.5; ls / | grep file- ; sleep 100`;
    for (const i of [1, 2, 3]) await ok(['run', '-d', '--name', `c${i}`, 'busybox', 'sh', '-c', script(i)]);
    await new Promise((r) => setTimeout(r, 1500));
    for (const i of [1, 2, 3])
      assert.equal((await d.docker(['logs', `c${i}`])).stdout, `file-${i}\n`, `c${i} sees only its own file`);
    assert.equal(await ok(['diff', 'c1']), ['C /bin', 'D /bin/vi', 'A /file-1'].join('\n'));
    const before = await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']);
    await ok(['commit', '-m', 'adds a file', '-c', 'ENV X=1', 'c1', 'committed:1']);
    assert.equal(
      await ok(['run', '--rm', 'committed:1', 'sh', '-c', 'cat /file-1; echo $X; test -e /bin/vi || echo no-vi']),
      'mine-1\n1\nno-vi',
    );
    const fresh = await d.docker([
      'run',
      '--rm',
      'busybox',
      'sh',
      '-c',
      'test -e /file-1 && echo seen; test -e /bin/vi && echo vi',
    ]);
    assert.equal(fresh.stdout.trim(), 'vi', 'a new container sees the image, not c1');
    assert.equal(await ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox']), before, 'the original image is unchanged');
    assert.match(await ok(['history', 'committed:1']), /adds a file/);
    await ok(['rm', '-f', 'c1', 'c2', 'c3']);
  });

  test('a default container gets Docker hardening; no-new-privileges when asked', async () => {
    const status = await ok([
      'run',
      '--rm',
      'busybox',
      'grep',
      '-E',
      '^(CapEff|CapBnd|Seccomp|NoNewPrivs):',
      '/proc/self/status',
    ]);
    assert.match(status, /CapEff:\s+00000000a80425fb/);
    assert.match(status, /CapBnd:\s+00000000a80425fb/);
    assert.match(status, /Seccomp:\s+2/);
    assert.match(status, /NoNewPrivs:\s+0/);
    assert.match(
      await ok([
        'run',
        '--rm',
        '--security-opt',
        'no-new-privileges',
        'busybox',
        'grep',
        'NoNewPrivs',
        '/proc/self/status',
      ]),
      /NoNewPrivs:\s+1/,
    );
    // privileged: every capability berthd itself holds (its bounding set may lack some)
    const own = /^CapBnd:\s*([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'))![1];
    assert.match(
      await ok(['run', '--rm', '--privileged', 'busybox', 'grep', 'CapEff', '/proc/self/status']),
      new RegExp(`CapEff:\\s+${own}`),
    );
    // masked: reading /proc/timer_list gives nothing (it is /dev/null inside)
    assert.equal(await ok(['run', '--rm', 'busybox', 'sh', '-c', 'wc -c < /proc/timer_list']), '0');
  });

  test('bind mounts, read-only binds, tmpfs, read-only rootfs, --init and resource limits apply', async () => {
    const host = `${d.root}/bind`;
    await ok(['run', '--rm', '-v', `${host}:/data`, 'busybox', 'sh', '-c', 'echo from-container > /data/f']);
    assert.equal(
      await ok(['run', '--rm', '--mount', `type=bind,source=${host},target=/m,readonly`, 'busybox', 'cat', '/m/f']),
      'from-container',
    );
    const ro = await d.docker(['run', '--rm', '-v', `${host}:/data:ro`, 'busybox', 'sh', '-c', 'echo x > /data/g']);
    assert.match(ro.stderr, /Read-only file system/);
    assert.equal(
      await ok([
        'run',
        '--rm',
        '--read-only',
        '--tmpfs',
        '/run',
        'busybox',
        'sh',
        '-c',
        'touch /run/y && echo ok; touch /x 2>/dev/null || echo ro',
      ]),
      'ok\nro',
    );
    assert.match(await ok(['run', '--rm', '--init', 'busybox', 'ps']), /1 root\s+\/dev\/init -- ps/);
    const limits = await ok([
      'run',
      '--rm',
      '--memory',
      '32m',
      '--pids-limit',
      '50',
      '--cpus',
      '0.5',
      'busybox',
      'sh',
      '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max',
    ]);
    assert.match(limits, /^33554432\n50/);
    const oom = await d.docker([
      'run',
      '--name',
      'oom',
      '--memory',
      '8m',
      'busybox',
      'sh',
      '-c',
      'x=$(head -c 50000000 /dev/zero | tr "\\0" a); echo done',
    ]);
    assert.equal(oom.code, 137);
    assert.equal(await ok(['inspect', '-f', '{{.State.OOMKilled}}', 'oom']), 'true');
    await ok(['rm', 'oom']);
    // Named volumes work now; volumes-docker-cli.test.ts covers them.
    await ok(['run', '--rm', '-v', 'named:/x', 'busybox', 'true']);
    await ok(['volume', 'rm', 'named']);
  });

  test("--pid and --ipc container:<x> join x's namespaces; x must exist and run", async () => {
    await d.ok(['run', '-d', '--name', 'nsapp', 'busybox', 'sleep', '1000']);
    const init = await d.ok(['run', '--rm', '--pid', 'container:nsapp', 'busybox', 'cat', '/proc/1/cmdline']);
    assert.equal(init.replace(/\0/g, ' ').trim(), 'sleep 1000');
    const ipc = async (args: string[]) =>
      (await d.ok(['run', '--rm', ...args, 'busybox', 'readlink', '/proc/self/ns/ipc'])).trim();
    assert.equal(
      await ipc(['--ipc', 'container:nsapp']),
      await d.ok(['exec', 'nsapp', 'readlink', '/proc/self/ns/ipc']),
    );
    assert.notEqual(await ipc([]), await d.ok(['exec', 'nsapp', 'readlink', '/proc/self/ns/ipc']));
    const missing = await d.docker(['create', '--pid', 'container:nope', 'busybox', 'true']);
    assert.match(missing.stderr, /No such container: nope/);
    await d.ok(['stop', '-t', '0', 'nsapp']);
    const stopped = await d.docker(['run', '--rm', '--pid', 'container:nsapp', 'busybox', 'true']);
    assert.match(stopped.stderr, /cannot join PID of a non running container/);
    await d.ok(['rm', 'nsapp']);
  });

  test('--device makes host devices in the container with the cgroup access asked; a missing one is refused', async () => {
    const nul = await d.ok([
      'run',
      '--rm',
      '--device',
      '/dev/null:/dev/xnull',
      'busybox',
      'sh',
      '-c',
      'ls -l /dev/xnull; echo x > /dev/xnull',
    ]);
    assert.match(nul, /^crw-rw-rw- .* 1, +3 .* \/dev\/xnull$/m);
    // /dev/fuse is denied by default; `r` allows reading it, not writing.
    const fuse = await d.docker([
      'run',
      '--rm',
      '--device',
      '/dev/fuse:/dev/fuse:r',
      'busybox',
      'sh',
      '-c',
      'echo x > /dev/fuse',
    ]);
    assert.notEqual(fuse.code, 0);
    assert.match(fuse.stderr, /can't create \/dev\/fuse: Operation not permitted/);
    const missing = await d.docker(['run', '--rm', '--device', '/dev/berth-none', 'busybox', 'true']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /error gathering device information while adding custom device "\/dev\/berth-none"/);
  });

  test('cp copies both ways, running or stopped, and refuses archives that climb out', async () => {
    const host = `${d.root}/cp`;
    await mkdir(host, { recursive: true });
    await writeFile(`${host}/in.txt`, 'hello\n');
    await ok(['run', '-d', '--name', 'cpc', 'busybox', 'sleep', '1000']);
    await ok(['cp', `${host}/in.txt`, 'cpc:/etc/']);
    await ok(['cp', 'cpc:/etc/in.txt', `${host}/back.txt`]);
    assert.equal(await readFile(`${host}/back.txt`, 'utf8'), 'hello\n');
    await ok(['cp', 'cpc:/etc', `${host}/etc`]);
    assert.ok(existsSync(`${host}/etc/passwd`));
    await ok(['stop', '-t', '0', 'cpc']);
    await ok(['cp', `${host}/in.txt`, 'cpc:/etc/stopped.txt']);
    assert.match(await ok(['diff', 'cpc']), /A \/etc\/stopped\.txt/);
    // A name that looks like an option stays a name: tar is never handed it as one.
    await ok(['cp', `${host}/in.txt`, 'cpc:/--checkpoint-action=exec=touch x']);
    await ok(['cp', 'cpc:/--checkpoint-action=exec=touch x', `${host}/dashed.txt`]);
    assert.equal(await readFile(`${host}/dashed.txt`, 'utf8'), 'hello\n');
    const evil = await packTar([{ name: '../../../../escaped.txt', content: 'x' }]);
    const put = await d.api('PUT', '/v1.47/containers/cpc/archive?path=/etc', evil);
    assert.equal(put.status, 400);
    assert.ok(!existsSync('/escaped.txt') && !existsSync(`${d.root}/escaped.txt`));
    assert.match((await d.docker(['cp', 'cpc:/nope', host])).stderr, /Could not find the file \/nope in container/);
    const exported = await d.docker(['export', 'cpc']);
    assert.ok(exported.stdout.includes('etc/stopped.txt'));
    await ok(['rm', 'cpc']);
  });

  test('bad input gets Docker status codes and leaves nothing behind', async () => {
    const missing = await d.api('POST', '/v1.47/containers/create', JSON.stringify({ Image: 'nope:1', Cmd: ['true'] }));
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body) as { message: string }).message, 'No such image: nope:1');
    const badMemory = await d.api(
      'POST',
      '/v1.47/containers/create',
      JSON.stringify({ Image: 'busybox', HostConfig: { Memory: 1024 } }),
    );
    assert.equal(badMemory.status, 400, badMemory.body);
    await ok(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '100']);
    const dup = await d.docker(['create', '--name', 'busy', 'busybox']);
    assert.match(dup.stderr, /Conflict\. The container name "\/busy" is already in use/);
    const rm = await d.api('DELETE', '/v1.47/containers/busy');
    assert.equal(rm.status, 409);
    assert.match(rm.body, /container is running: stop the container before removing or force remove/);
    const kill = await d.api('POST', '/v1.47/containers/nope/kill');
    assert.equal(kill.status, 404);
    await ok(['rm', '-f', 'busy']);
    assert.equal(await ok(['ps', '-aq']), '');
  });

  test('live restore: containers keep running through kill -9 of berthd; logs and stop work after restart', async () => {
    for (const name of ['live1', 'live2']) {
      await ok([
        'run',
        '-d',
        '--name',
        name,
        'busybox',
        'sh',
        '-c',
        'trap "exit 7" TERM; while true; do echo tick; sleep 0.2; done',
      ]);
    }
    const pids = await ok(['inspect', '-f', '{{.State.Pid}}', 'live1', 'live2']);
    await d.kill();
    for (const pid of pids.split('\n')) assert.ok(existsSync(`/proc/${pid}`), `container process ${pid} survives`);
    await d.restart();
    const before = (await d.docker(['logs', 'live1'])).stdout.split('\n').length;
    await new Promise((r) => setTimeout(r, 600));
    assert.ok((await d.docker(['logs', 'live1'])).stdout.split('\n').length > before, 'logs continue');
    assert.match(await ok(['ps']), /live2/);
    await ok(['stop', 'live1', 'live2']);
    assert.equal(await ok(['inspect', '-f', '{{.State.ExitCode}}', 'live1', 'live2']), '7\n7');
    await ok(['rm', 'live1', 'live2']);
    // runc's records of exited containers are deleted in the background, and none is left.
    const runc = () => execFileAsync('runc', ['--root', join(d.root, 'run', 'runc'), 'list', '--quiet']);
    await eventually(async () => (await runc()).stdout.trim() === '', 'runc lists no container');
  });
});
