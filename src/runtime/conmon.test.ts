import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createContainer } from './conmon.js';
import { makeTestBundle, runtimeTestSkipReason, type TestBundle } from './conmon-test-bundle.js';
import { exitCodeOfStartFailure, readExitCode, waitForExit } from './exit.js';
import { readLogs, type LogEntry } from './logs.js';
import { killContainer, stateOf } from './runc.js';
import { startContainer } from './start.js';

const skip = runtimeTestSkipReason();

async function withBundle(args: string[], body: (b: TestBundle) => Promise<void>): Promise<void> {
  const b = await makeTestBundle(args);
  try {
    await body(b);
  } finally {
    await b.cleanup();
  }
}

function text(entries: LogEntry[], stream: 'stdout' | 'stderr'): string {
  return entries
    .filter((e) => e.stream === stream)
    .map((e) => e.line.toString())
    .join('');
}

describe('conmon + runc (root, real runtime)', { skip }, () => {
  test('a container that writes to both streams and exits 3 leaves both streams in its log and exit code 3', async () => {
    const script = 'echo hi; echo err >&2; echo -n par; sleep 0.3; echo tial; echo -n end; exit 3';
    await withBundle(['sh', '-c', script], async (b) => {
      const created = await createContainer(b);
      assert.ok(created.pid > 0 && created.conmonPid > 0);
      assert.equal((await stateOf(b.id, b))?.status, 'created');
      const exited = waitForExit(b.exitDir, b.id, { conmonPid: created.conmonPid });
      const followed: LogEntry[] = [];
      const following = (async () => {
        for await (const e of readLogs(b.logPath, { follow: true, exited })) followed.push(e);
      })();
      await startContainer(b.id, created.pid, b);
      assert.equal(await exited, 3);
      await following;
      assert.equal(text(followed, 'stdout'), 'hi\npartial\nend');
      assert.equal(text(followed, 'stderr'), 'err\n');
      const all: LogEntry[] = [];
      for await (const e of readLogs(b.logPath, { stderr: false, tail: 2 })) all.push(e);
      assert.deepEqual(
        all.map((e) => e.line.toString()),
        ['partial\n', 'end'],
      );
      assert.equal(await readExitCode(b.exitDir, b.id), 3);
    });
  });

  test('a container killed with SIGKILL exits with 137, as Docker reports', async () => {
    await withBundle(['sleep', '100'], async (b) => {
      const created = await createContainer(b);
      await startContainer(b.id, created.pid, b);
      assert.equal((await stateOf(b.id, b))?.status, 'running');
      await killContainer(b.id, 'KILL', b);
      assert.equal(await waitForExit(b.exitDir, b.id, { conmonPid: created.conmonPid }), 137);
      assert.equal((await stateOf(b.id, b))?.status, 'stopped');
    });
  });

  test("a second start fails with runc's own message, and a dead init is reported instead of waited for", async () => {
    await withBundle(['sleep', '100'], async (b) => {
      const created = await createContainer(b);
      await startContainer(b.id, created.pid, b);
      await assert.rejects(startContainer(b.id, created.pid, b), /runc start failed: .*(running|stopped)/);
      await killContainer(b.id, 'KILL', b);
    });
    await withBundle(['sleep', '100'], async (b) => {
      const created = await createContainer(b);
      process.kill(created.pid, 'SIGKILL');
      await assert.rejects(startContainer(b.id, created.pid, b), /exited before it was started/);
    });
  });

  test('creating a container whose command does not exist fails with runc\'s "executable file not found"', async () => {
    await withBundle(['no-such-command'], async (b) => {
      const err = await createContainer(b).then(
        () => assert.fail('create should have failed'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error);
      assert.match(err.message, /executable file not found in \$PATH/);
      assert.equal(exitCodeOfStartFailure(err.message), 127);
      assert.equal(await stateOf(b.id, b), undefined);
    });
  });

  test('a container keeps running after the Node process that started it exits', async () => {
    await withBundle(['sleep', '100'], async (b) => {
      const out = await runDetachedStarter({ ...b, cleanup: undefined });
      const started = JSON.parse(out) as { pid: number; conmonPid: number };
      const state = await stateOf(b.id, b);
      assert.equal(state?.status, 'running');
      assert.equal(state.pid, started.pid);
      await killContainer(b.id, 'KILL', b);
      assert.equal(await waitForExit(b.exitDir, b.id, { conmonPid: started.conmonPid }), 137);
    });
  });
});

/** Creates and starts the container from a separate Node process, which then exits. */
async function runDetachedStarter(options: object): Promise<string> {
  const conmonUrl = new URL('./conmon.js', import.meta.url).href;
  const startUrl = new URL('./start.js', import.meta.url).href;
  const code = `
    const { createContainer } = await import(${JSON.stringify(conmonUrl)});
    const { startContainer } = await import(${JSON.stringify(startUrl)});
    const o = JSON.parse(process.argv[1]);
    const c = await createContainer(o);
    await startContainer(o.id, c.pid, o);
    process.stdout.write(JSON.stringify(c));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(exitCode, 0);
  return out;
}
