import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { run, startDaemon, type TestDaemon } from '../support/daemon.js';
import { busyboxRootfs } from '../support/images.js';

const BERTH_CLI = resolve(import.meta.dirname, '../../src/bin/berth.js');
/** A shell that reports SIGTERM and exits 7 on it, and says when its trap is set. */
const TRAP_SCRIPT = 'trap "echo got TERM; exit 7" TERM; echo trapping; while true; do sleep 0.1; done';

/**
 * Runs `command` on a terminal (`script`), has the attached shell echo a word,
 * then types ctrl-p ctrl-q: the terminal is raw only once the shell's answer
 * is back, and before that ctrl-q would be flow control.
 */
async function detachFromTerminal(command: string, env: NodeJS.ProcessEnv): Promise<{ code: unknown; out: string }> {
  const cli = spawn('script', ['-qec', command, '/dev/null'], { env });
  let out = '';
  cli.stdout.on('data', (c: Buffer) => {
    const before = out;
    out += c.toString();
    // The echo of the typed line has the quotes; only the answer says "ready".
    if (out.includes('ready') && !before.includes('ready')) cli.stdin.end('\x10\x11');
  });
  cli.stdin.write('echo rea""dy\n');
  const code = await new Promise((res) => cli.once('close', res));
  return { code, out };
}

describe('stdin and terminals through the docker CLI on berthd (needs root: runc, conmon, overlayfs)', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startDaemon();
    const r = await d.docker(['import', '-c', 'CMD ["sh"]', '-', 'busybox:latest'], { input: await busyboxRootfs() });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await d.docker(['rm', '-f', ...(await d.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
    await d.stop();
  });

  test('run -i passes the input to the container and its end closes stdin', async () => {
    const r = await d.docker(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'abc' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'abc');
  });

  test('run -i feeds a shell its script, and the script decides the exit code', async () => {
    const hello = await d.docker(['run', '--rm', '-i', 'busybox', 'sh'], { input: 'echo hello\n' });
    assert.equal(hello.code, 0, hello.stderr);
    assert.equal(hello.stdout, 'hello\n');
    const failing = await d.docker(['run', '--rm', '-i', 'busybox', 'sh'], {
      input: 'echo out; echo err >&2; exit 4\n',
    });
    assert.equal(failing.code, 4);
    assert.equal(failing.stdout, 'out\n');
    assert.equal(failing.stderr, 'err\n');
  });

  test('run -i carries input larger than the socket buffers intact', async () => {
    const input = Buffer.alloc(3 * 1024 * 1024, 'x');
    const r = await d.docker(['run', '--rm', '-i', 'busybox', 'wc', '-c'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(input.length));
  });

  test('a container that prints a lot while attached is not held up by the attach socket', async () => {
    const r = await d.docker(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'seq 1 300000; cat'], { input: 'end' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.endsWith('299999\n300000\nend'), r.stdout.slice(-50));
  });

  test('docker attach feeds a running container started with -i', async () => {
    const id = (await d.docker(['run', '-d', '-i', 'busybox', 'sh', '-c', 'read x; echo got $x'])).stdout.trim();
    // The end of input ends an attachment to a container not started for one
    // (no StdinOnce), as in Docker: the answer is certain only in the log.
    const r = await d.docker(['attach', id], { input: 'abc\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await d.docker(['wait', id])).stdout.trim(), '0');
    assert.equal((await d.docker(['logs', id])).stdout, 'got abc\n');
    assert.equal((await d.docker(['rm', id])).code, 0);
  });

  test('run without -i gives the container no input', async () => {
    const r = await d.docker(['run', '--rm', 'busybox', 'cat'], { input: 'ignored' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('run -t prints the terminal output raw', async () => {
    const r = await d.docker(['run', '--rm', '-t', 'busybox', 'echo', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hi\r?\n$/);
  });

  test('run -it works from a terminal: the shell reads the typed lines and its exit code is the result', async () => {
    // `script` gives the docker CLI the terminal it insists on for -t with -i. The
    // quotes keep the terminal's echo of the input from matching the output.
    const r = await run('script', ['-qec', 'docker run --rm -it busybox sh', '/dev/null'], {
      env: d.env,
      input: 'echo hel""lo; exit 5\n',
    });
    assert.equal(r.code, 5, r.stdout);
    assert.match(r.stdout, /hello\r\n/);
  });

  test('resize sets the window size of a running terminal and is refused for a stopped container', async () => {
    const id = (await d.docker(['run', '-d', '-t', 'busybox', 'sleep', '100'])).stdout.trim();
    const resized = await d.api('POST', `/containers/${id}/resize?h=33&w=101`);
    assert.equal(resized.status, 200, resized.body);
    const size = await d.docker(['exec', id, 'stty', '-F', '/dev/console', 'size']);
    assert.equal(size.stdout.trim(), '33 101', size.stderr);
    assert.equal((await d.docker(['rm', '-f', id])).code, 0);
    const stopped = (await d.docker(['create', 'busybox', 'true'])).stdout.trim();
    assert.equal((await d.api('POST', `/containers/${stopped}/resize?h=1&w=1`)).status, 409);
  });

  test('the docker CLI detaches from a terminal with ctrl-p ctrl-q and the container keeps running', async () => {
    const id = (await d.docker(['run', '-dit', 'busybox', 'sh'])).stdout.trim();
    const { out } = await detachFromTerminal(`docker attach ${id}`, d.env);
    assert.match(out, /read escape sequence/);
    assert.equal((await d.docker(['inspect', '-f', '{{.State.Running}}', id])).stdout.trim(), 'true');
    assert.equal((await d.docker(['rm', '-f', id])).code, 0);
  });

  test('the API ends an attachment at the requested detach keys and leaves the container running', async () => {
    const id = (await d.docker(['run', '-dit', 'busybox', 'sh'])).stdout.trim();
    const path = `/containers/${id}/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-x`;
    const socket = connect(d.socket);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
    let received = '';
    socket.on('data', (c: Buffer) => {
      const before = received;
      received += c.toString();
      // Once the command's output is back (its echo has the quotes), detach.
      if (received.includes('mark') && !before.includes('mark')) socket.write('\x18');
    });
    socket.write('echo ma""rk\n');
    await new Promise((res) => socket.once('end', res));
    socket.destroy();
    assert.match(received, /^HTTP\/1.1 101/);
    assert.equal((await d.docker(['inspect', '-f', '{{.State.Running}}', id])).stdout.trim(), 'true');
    assert.equal((await d.api('POST', `/containers/${id}/attach?stream=1&stdin=1&detachKeys=ctrl-1`)).status, 400);
    assert.equal((await d.docker(['rm', '-f', id])).code, 0);
  });

  test('berth run -i feeds stdin to the container and -it gives the shell a terminal whose exit code is the result', async () => {
    const piped = await d.berth(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'abc' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, 'abc');
    const r = await run('script', ['-qec', `${process.execPath} ${BERTH_CLI} run --rm -it busybox sh`, '/dev/null'], {
      env: d.env,
      input: 'echo hel""lo; exit 5\n',
    });
    assert.equal(r.code, 5, r.stdout);
    // Node's raw mode keeps the terminal's newline translation: \r\n may arrive as \r\r\n.
    assert.match(r.stdout, /hello\r+\n/);
  });

  test('berth attach detaches on ctrl-p ctrl-q, and berth run passes signals to a container without a terminal', async () => {
    const id = (await d.docker(['run', '-dit', 'busybox', 'sh'])).stdout.trim();
    const { code, out } = await detachFromTerminal(`${process.execPath} ${BERTH_CLI} attach ${id}`, d.env);
    assert.equal(code, 0, out);
    assert.equal((await d.docker(['inspect', '-f', '{{.State.Running}}', id])).stdout.trim(), 'true');
    assert.equal((await d.docker(['rm', '-f', id])).code, 0);

    const trapping = spawn(process.execPath, [BERTH_CLI, 'run', '--rm', 'busybox', 'sh', '-c', TRAP_SCRIPT], {
      env: d.env,
    });
    let said = '';
    trapping.stdout.on('data', (c: Buffer) => {
      const before = said;
      said += c.toString();
      if (said.includes('trapping') && !before.includes('trapping')) trapping.kill('SIGTERM');
    });
    assert.equal(await new Promise((res) => trapping.once('close', res)), 7);
    assert.match(said, /got TERM/);
  });
});
