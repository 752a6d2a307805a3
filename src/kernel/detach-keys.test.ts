import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetachKeyWatcher, parseDetachKeys } from './detach-keys.js';

test('detach keys parse as Docker spells them', () => {
  const cases: Array<[string, number[] | 'error']> = [
    ['ctrl-p,ctrl-q', [16, 17]],
    ['a,b', [97, 98]],
    ['ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_', [0, 27, 28, 29, 30, 31]],
    ['ctrl-A', [1]],
    ['', []],
    ['ctrl-1', 'error'],
    ['ab', 'error'],
    ['ctrl-', 'error'],
  ];
  for (const [spec, want] of cases) {
    if (want === 'error') assert.throws(() => parseDetachKeys(spec), /Invalid detach keys/, spec);
    else assert.deepEqual([...parseDetachKeys(spec)], want, spec);
  }
});

async function feed(keys: string, chunks: string[]): Promise<{ out: string; detached: boolean }> {
  const w = new DetachKeyWatcher(parseDetachKeys(keys));
  let detached = false;
  w.on('detach', () => (detached = true));
  const out: Buffer[] = [];
  w.on('data', (c: Buffer) => out.push(c));
  for (const c of chunks) w.write(Buffer.from(c, 'latin1'));
  w.end();
  await new Promise((r) => w.once('end', r));
  return { out: Buffer.concat(out).toString('latin1'), detached };
}

test('the detach sequence is consumed and ends the input, even split across chunks', async () => {
  assert.deepEqual(await feed('ctrl-p,ctrl-q', ['ls\x10', '\x11echo lost']), { out: 'ls', detached: true });
  assert.deepEqual(await feed('a,b', ['xa', 'by']), { out: 'x', detached: true });
});

test('a partial sequence that stops matching is passed through intact', async () => {
  assert.deepEqual(await feed('ctrl-p,ctrl-q', ['\x10x', '\x10\x10\x11']), { out: '\x10x\x10', detached: true });
  assert.deepEqual(await feed('a,b', ['aac']), { out: 'aac', detached: false });
  assert.deepEqual(await feed('ctrl-p,ctrl-q', ['ls\x10']), { out: 'ls\x10', detached: false });
});

test('an empty sequence never detaches', async () => {
  assert.deepEqual(await feed('', ['\x10\x11']), { out: '\x10\x11', detached: false });
});
