import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

describe('docker exec on berthd (needs root: runc, conmon, overlayfs)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
    const run = await d.docker(['run', '-d', '--name', 'box', '-e', 'FROM_RUN=yes', 'busybox', 'sleep', '1000']);
    assert.equal(run.code, 0, run.stderr);
  });
  after(() => d.cleanUp());

  const exec = (args: string[], input?: string) => d.docker(['exec', ...args], { input });
  const ok = async (args: string[], input?: string) => {
    const r = await exec(args, input);
    assert.equal(r.code, 0, `docker exec ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  test('prints the output of the command', async () => {
    assert.equal(await ok(['box', 'echo', 'hi']), 'hi\n');
  });

  test('keeps stdout and stderr apart', async () => {
    const r = await exec(['box', 'sh', '-c', 'echo out; echo err >&2']);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  test("exits with the command's exit code", async () => {
    assert.equal((await exec(['box', 'sh', '-c', 'exit 4'])).code, 4);
  });

  test('exits 127 for a command that does not exist and 126 for one that cannot run', async () => {
    const missing = await exec(['box', 'no-such-command']);
    assert.equal(missing.code, 127);
    assert.match(missing.stdout + missing.stderr, /executable file not found/);
    assert.equal((await exec(['box', '/etc/passwd'])).code, 126);
  });

  test('-i passes stdin through and closes it at its end', async () => {
    assert.equal(await ok(['-i', 'box', 'cat'], 'abc'), 'abc');
  });

  test('-u runs as the given user, by number or by name', async () => {
    assert.equal(await ok(['-u', '1234', 'box', 'id', '-u'], undefined), '1234\n');
    assert.equal(await ok(['-u', '1234:55', 'box', 'id', '-g']), '55\n');
    assert.equal(await ok(['-u', 'root', 'box', 'id', '-u']), '0\n');
  });

  test('an unknown user name fails with 126 and says why', async () => {
    const r = await exec(['-u', 'nosuchuser', 'box', 'id']);
    assert.equal(r.code, 126);
    assert.match(r.stdout + r.stderr, /unable to find user nosuchuser/);
  });

  test("-e adds variables to the container's environment", async () => {
    assert.equal(await ok(['-e', 'A=1', 'box', 'sh', '-c', 'echo $A $FROM_RUN']), '1 yes\n');
  });

  test('-w sets the working directory', async () => {
    assert.equal(await ok(['-w', '/etc', 'box', 'pwd']), '/etc\n');
  });

  test('-d runs the command in the background', async () => {
    assert.equal(await ok(['-d', 'box', 'sh', '-c', 'echo x > /f']), '');
    let out = '';
    for (let i = 0; i < 50 && out !== 'x\n'; i++) {
      out = (await exec(['box', 'cat', '/f'])).stdout;
      if (out !== 'x\n') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(out, 'x\n');
  });

  test('inspect shows the exec and its exit code', async () => {
    const created = await d.api(
      'POST',
      '/containers/box/exec',
      JSON.stringify({ Cmd: ['sh', '-c', 'exit 3'], AttachStdout: true, User: '1234' }),
    );
    assert.equal(created.status, 201, created.body);
    const { Id } = JSON.parse(created.body) as { Id: string };
    const before = JSON.parse((await d.api('GET', `/exec/${Id}/json`)).body) as Record<string, unknown>;
    assert.equal(before['Running'], false);
    assert.equal(before['ExitCode'], null);
    assert.deepEqual(before['ProcessConfig'], {
      tty: false,
      entrypoint: 'sh',
      arguments: ['-c', 'exit 3'],
      privileged: false,
      user: '1234',
    });
    const started = await d.api('POST', `/exec/${Id}/start`, JSON.stringify({ Detach: false }));
    assert.equal(started.status, 200);
    const after = JSON.parse((await d.api('GET', `/exec/${Id}/json`)).body) as Record<string, unknown>;
    assert.equal(after['ExitCode'], 3);
    assert.equal(after['Running'], false);
    assert.equal((await d.api('POST', `/exec/${Id}/start`, '{}')).status, 409, 'an exec runs once');
    assert.equal((await d.api('GET', '/exec/nope/json')).status, 404);
  });

  test('--privileged gives the process every capability', async () => {
    const caps = async (args: string[]) => {
      const status = await ok([...args, 'box', 'grep', 'CapEff', '/proc/self/status']);
      return BigInt(`0x${status.split(/\s+/)[1] ?? ''}`);
    };
    assert.ok((await caps(['--privileged'])) > (await caps([])));
  });

  test('exec in a stopped container fails with 409 "is not running"', async () => {
    assert.equal((await d.docker(['run', '--name', 'stopped', 'busybox', 'true'])).code, 0);
    const r = await exec(['stopped', 'echo', 'hi']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Container [0-9a-f]{64} is not running/);
    const api = await d.api('POST', '/containers/stopped/exec', JSON.stringify({ Cmd: ['true'] }));
    assert.equal(api.status, 409);
    assert.equal((await d.api('POST', '/containers/nope/exec', JSON.stringify({ Cmd: ['true'] }))).status, 404);
  });
});
