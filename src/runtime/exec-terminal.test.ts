import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { masterStream, openPtyPair, setWindowSize } from './exec-terminal.js';

/** Runs `script` in sh on the slave end of a new pty, writes `input` to the master, returns all output. */
async function runOnPty(script: string, input: string, size?: { height: number; width: number }): Promise<string> {
  const { master, slave } = openPtyPair();
  if (size !== undefined) setWindowSize(master, size);
  const child = spawn('sh', ['-c', script], { stdio: [slave, slave, slave] });
  closeSync(slave);
  const terminal = masterStream(master);
  let output = '';
  terminal.on('data', (chunk: Buffer) => (output += chunk.toString()));
  terminal.write(input);
  await finished(terminal).catch(() => undefined);
  assert.ok(terminal.destroyed, 'the master closes once the last slave is gone');
  assert.equal(child.exitCode ?? (await new Promise((r) => child.once('exit', r))), 0);
  return output;
}

describe('exec terminal', () => {
  test('the child sees a terminal, reads what is written to the master and its output comes back', async () => {
    const out = await runOnPty('stty raw -echo; read line; echo "got $line"; tty', 'abc\n');
    assert.match(out, /got abc\n\/dev\/pts\/\d+\n/);
  });

  test('the window size set on the master is the size the child sees', async () => {
    const out = await runOnPty('stty size', '', { height: 33, width: 101 });
    assert.equal(out, '33 101\r\n');
  });
});
