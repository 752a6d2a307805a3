import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../support/daemon.js';
import { eventually, startContainerDaemon, type ContainerTestDaemon } from '../support/containers.js';

describe('docker exec with a terminal on berthd (needs root: runc, conmon, overlayfs)', () => {
  let d: ContainerTestDaemon;
  before(async () => {
    d = await startContainerDaemon();
    await d.ok(['run', '-d', '--name', 'box', 'busybox', 'sleep', '1000']);
  });
  after(() => d.cleanUp());

  test('-t gives the command a terminal and its output comes raw, with the terminal line ends', async () => {
    const r = await d.docker(['exec', '-t', 'box', 'tty']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\/dev\/pts\/\d+\r\n$/);
  });

  test("-t exits with the command's exit code", async () => {
    assert.equal((await d.docker(['exec', '-t', 'box', 'sh', '-c', 'exit 3'])).code, 3);
  });

  test('-it works from a terminal: the shell reads the typed lines and its exit code is the result', async () => {
    // `script` gives the docker CLI the terminal it insists on for -t with -i. The
    // quotes keep the terminal's echo of the input from matching the output.
    const r = await run('script', ['-qec', 'docker exec -it box sh', '/dev/null'], {
      env: d.env,
      input: 'echo hel""lo; exit 5\n',
    });
    assert.equal(r.code, 5, r.stdout);
    assert.match(r.stdout, /hello\r\n/);
  });

  test('resize through the API sets the window size of the running terminal', async () => {
    const created = await d.api(
      'POST',
      '/containers/box/exec',
      JSON.stringify({
        Cmd: [
          'sh',
          '-c',
          'for i in $(seq 100); do s=$(stty size 2>/dev/null); [ "$s" = "33 101" ] && break; sleep 0.1; done; echo $s',
        ],
        AttachStdout: true,
        Tty: true,
      }),
    );
    assert.equal(created.status, 201, created.body);
    const { Id } = JSON.parse(created.body) as { Id: string };
    const output = d.api('POST', `/exec/${Id}/start`, JSON.stringify({ Detach: false, Tty: true }));
    await eventually(async () => {
      const view = JSON.parse((await d.api('GET', `/exec/${Id}/json`)).body) as { Running: boolean; Pid: number };
      return view.Running && view.Pid > 0;
    }, 'the exec runs');
    const resized = await d.api('POST', `/exec/${Id}/resize?h=33&w=101`);
    assert.equal(resized.status, 200, resized.body);
    const started = await output;
    assert.equal(started.status, 200);
    assert.equal(started.body, '33 101\r\n');
  });

  test('a size asked for before the exec starts applies to its terminal', async () => {
    // runc copies the size into the container's terminal just after the process starts; poll like a shell would.
    const poll =
      'for i in $(seq 50); do s=$(stty size 2>/dev/null); [ "$s" = "12 34" ] && break; sleep 0.1; done; echo $s';
    const created = await d.api(
      'POST',
      '/containers/box/exec',
      JSON.stringify({ Cmd: ['sh', '-c', poll], AttachStdout: true, Tty: true }),
    );
    const { Id } = JSON.parse(created.body) as { Id: string };
    assert.equal((await d.api('POST', `/exec/${Id}/resize?h=12&w=34`)).status, 200);
    const started = await d.api('POST', `/exec/${Id}/start`, JSON.stringify({ Detach: false, Tty: true }));
    assert.equal(started.body, '12 34\r\n');
  });
});
