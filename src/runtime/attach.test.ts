import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { isErrno } from '../kernel/index.js';
import { resizeTerminal } from './attach-resize.js';
import { connectSeqpacket } from './attach-socket.js';
import { attachSocketPath, openAttachedStdin } from './attach.js';
import { createContainer } from './conmon.js';
import { makeTestBundle, runtimeTestSkipReason, type TestBundle } from './conmon-test-bundle.js';
import { waitForExit } from './exit.js';
import { readLogs } from './logs.js';
import { startContainer } from './start.js';

describe('the attach socket', () => {
  test('connecting to a socket that does not exist fails with ENOENT', () => {
    assert.throws(
      () => connectSeqpacket('/nonexistent/berth/attach'),
      (e: unknown) => isErrno(e, 'ENOENT'),
    );
  });

  test('a path longer than sun_path allows is refused before connecting', () => {
    assert.throws(
      () => connectSeqpacket(`/tmp/${'x'.repeat(200)}`),
      (e: unknown) => isErrno(e, 'ENAMETOOLONG'),
    );
  });

  test('the socket path is the attach file under the container link in the socket dir', () => {
    assert.equal(attachSocketPath('/run/berth/s', 'abc'), '/run/berth/s/abc/attach');
  });

  test('resizing a bundle conmon never ran in fails with ENOENT', async () => {
    await assert.rejects(resizeTerminal('/nonexistent/bundle', { height: 1, width: 1 }), (e: unknown) =>
      isErrno(e, 'ENOENT'),
    );
  });
});

/** Starts the container; `exited` settles with its exit code (wrapped, as a returned promise would be awaited). */
async function run(b: TestBundle): Promise<{ exited: Promise<number | undefined> }> {
  const created = await createContainer(b);
  const exited = waitForExit(b.exitDir, b.id, { conmonPid: created.conmonPid });
  await startContainer(b.id, created.pid, b);
  return { exited };
}

async function stdoutOf(b: TestBundle): Promise<string> {
  let out = '';
  for await (const e of readLogs(b.logPath, { stderr: false })) out += e.line.toString();
  return out;
}

describe('stdin through conmon (root, real runtime)', { skip: runtimeTestSkipReason() }, () => {
  test('input written to the socket reaches the container, and ending it closes a StdinOnce stdin', async () => {
    const b = await makeTestBundle(['cat']);
    try {
      const { exited } = await run({ ...b, stdin: true, stdinOnce: true });
      const attached = openAttachedStdin(attachSocketPath(b.socketDir, b.id));
      attached.stdin.write('abc');
      attached.stdin.end('def');
      await once(attached.stdin, 'finish');
      assert.equal(await exited, 0);
      attached.close();
      assert.equal(await stdoutOf(b), 'abcdef');
    } finally {
      await b.cleanup();
    }
  });

  test('a terminal container gets the input through its terminal and the new window size', async () => {
    const b = await makeTestBundle(['sh', '-c', 'read x; stty size; echo got $x'], true);
    try {
      const { exited } = await run({ ...b, stdin: true, stdinOnce: true });
      await resizeTerminal(b.bundle, { height: 40, width: 120 });
      const attached = openAttachedStdin(attachSocketPath(b.socketDir, b.id));
      attached.stdin.write('abc\n');
      assert.equal(await exited, 0);
      attached.close();
      assert.match(await stdoutOf(b), /40 120\r\ngot abc\r\n$/);
    } finally {
      await b.cleanup();
    }
  });
});
