import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerDaemon, type ContainerTestDaemon, eventually } from '../support/containers.js';

describe('restart policies, pause, rename and prune (needs root: runc, conmon)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);
  const inspect = (format: string, name: string) => d.inspect(format, name);

  test('--restart on-failure:2 restarts exactly twice and keeps every run in the log', async () => {
    await ok(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 1']);
    await eventually(
      async () => (await inspect('{{.RestartCount}} {{.State.Status}}', 'flaky')) === '2 exited',
      'two restarts',
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await inspect('{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}', 'flaky'), '2 exited 1');
    assert.equal((await d.docker(['logs', 'flaky'])).stdout, 'run\nrun\nrun\n');
  });

  test('--restart always comes back after berthd restarts, but not after docker stop', async () => {
    await ok(['run', '-d', '--name', 'always', '--restart', 'always', 'busybox', 'sleep', '1000']);
    const pid = await inspect('{{.State.Pid}}', 'always');
    await d.kill();
    process.kill(Number(pid), 'SIGKILL');
    await d.restart();
    await eventually(async () => (await inspect('{{.State.Status}}', 'always')) === 'running', 'it runs again');
    assert.notEqual(await inspect('{{.State.Pid}}', 'always'), pid);
    await ok(['stop', '-t', '1', 'always']);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await inspect('{{.State.Status}}', 'always'), 'exited');
  });

  test('pause freezes and unpause thaws; rename keeps the container', async () => {
    await ok(['run', '-d', '--name', 'p1', 'busybox', 'sleep', '1000']);
    await ok(['pause', 'p1']);
    assert.equal(await inspect('{{.State.Status}} {{.State.Paused}}', 'p1'), 'paused true');
    assert.match(await ok(['ps', '--filter', 'status=paused']), /p1/);
    await ok(['unpause', 'p1']);
    assert.equal(await inspect('{{.State.Status}}', 'p1'), 'running');
    await ok(['rename', 'p1', 'p2']);
    assert.equal(await inspect('{{.Name}}', 'p2'), '/p2');
    assert.notEqual((await d.docker(['inspect', 'p1'])).code, 0);
    await ok(['rm', '-f', 'p2']);
  });

  test('container prune removes every stopped container and nothing running', async () => {
    await ok(['run', '-d', '--name', 'keep', 'busybox', 'sleep', '1000']);
    await ok(['create', '--name', 'never-started', 'busybox', 'true']);
    const out = await ok(['container', 'prune', '-f']);
    assert.match(out, /Deleted Containers:/);
    assert.equal(await ok(['ps', '-a', '--format', '{{.Names}}']), 'keep');
  });
});
