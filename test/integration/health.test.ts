import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerDaemon, type ContainerTestDaemon, eventually } from '../support/containers.js';

describe('healthchecks (needs root: runc, conmon)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
  });
  after(() => d.cleanUp());

  const ok = (args: string[]) => d.ok(args);
  const inspect = (format: string, name: string) => d.inspect(format, name);
  const fast = ['--health-interval', '200ms', '--health-retries', '2'];

  test('a failing check makes the container unhealthy, and ps and events say so', async () => {
    await ok(['run', '-d', '--name', 'sick', '--health-cmd', 'echo nope; exit 1', ...fast, 'busybox', 'sleep', '100']);
    assert.match(await inspect('{{.State.Health.Status}}', 'sick'), /^(starting|unhealthy)$/);
    await eventually(async () => (await inspect('{{.State.Health.Status}}', 'sick')) === 'unhealthy', 'unhealthy');
    assert.match(await ok(['ps', '--filter', 'name=sick', '--format', '{{.Status}}']), /^Up .* \(unhealthy\)$/);
    const log = JSON.parse(await inspect('{{json .State.Health.Log}}', 'sick')) as {
      ExitCode: number;
      Output: string;
    }[];
    assert.ok(log.length >= 2 && log.length <= 5);
    assert.deepEqual(log[0], { ...log[0], ExitCode: 1, Output: 'nope\n' });
    assert.ok(Number(await inspect('{{.State.Health.FailingStreak}}', 'sick')) >= 2);
    const since = String(Math.floor(Date.now() / 1000) - 60);
    const events = await ok([
      'events',
      '--since',
      since,
      '--until',
      String(Math.floor(Date.now() / 1000) + 1),
      '--filter',
      'container=sick',
      '--format',
      '{{.Action}}',
    ]);
    assert.match(events, /health_status: unhealthy/);
  });

  test('a passing check makes it healthy, and stopping it ends the checks', async () => {
    await ok(['run', '-d', '--name', 'well', '--health-cmd', 'true', ...fast, 'busybox', 'sleep', '100']);
    await eventually(async () => (await inspect('{{.State.Health.Status}}', 'well')) === 'healthy', 'healthy');
    assert.match(await ok(['ps', '--filter', 'name=well', '--format', '{{.Status}}']), /\(healthy\)$/);
    assert.equal(await inspect('{{(index .State.Health.Log 0).ExitCode}}', 'well'), '0');
    await ok(['stop', '-t', '0', 'well']);
    const count = await inspect('{{len .State.Health.Log}} {{.State.Health.FailingStreak}}', 'well');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await inspect('{{len .State.Health.Log}} {{.State.Health.FailingStreak}}', 'well'), count);
  });

  test('a probe that outlives its timeout is a failure with exit code -1', async () => {
    await ok([
      'run',
      '-d',
      '--name',
      'slow',
      '--health-cmd',
      'sleep 5',
      '--health-timeout',
      '300ms',
      ...fast,
      'busybox',
      'sleep',
      '100',
    ]);
    await eventually(async () => (await inspect('{{.State.Health.Status}}', 'slow')) === 'unhealthy', 'unhealthy');
    const log = JSON.parse(await inspect('{{json .State.Health.Log}}', 'slow')) as {
      ExitCode: number;
      Output: string;
    }[];
    assert.deepEqual(log[0], { ...log[0], ExitCode: -1, Output: 'Health check exceeded timeout (300ms)' });
  });

  test('--no-healthcheck leaves no Health in the state', async () => {
    await ok(['run', '-d', '--name', 'plain', '--no-healthcheck', 'busybox', 'sleep', '100']);
    assert.equal(await inspect('{{json .State.Health}}', 'plain'), 'null');
    assert.doesNotMatch(await ok(['ps', '--filter', 'name=plain', '--format', '{{.Status}}']), /health/);
  });
});
