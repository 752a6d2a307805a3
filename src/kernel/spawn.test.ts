import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { execFast } from './spawn-exec.js';
import { decodeWaitStatus } from './spawn-reaper.js';
import { spawnFast } from './spawn.js';

/** Generous bound for tests that would otherwise hang when a child is not killed or reaped. */
const HANG = { timeout: 20_000 };

async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

/** The session ID field of /proc/<pid>/stat (the fourth after the parenthesised command name). */
function sessionOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[3]);
}

/** child_process.execFile's exit code and stdout, whatever the code. */
function execFileStatus(file: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, (_err, stdout) => resolve({ code: child.exitCode, stdout }));
  });
}

/** Runs a small ESM script in a fresh node process that can import spawnFast. */
async function runNode(body: string): Promise<string> {
  const spawnUrl = new URL('./spawn.js', import.meta.url).href;
  const script = `import { spawnFast } from ${JSON.stringify(spawnUrl)};\n${body}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    timeout: 15_000,
  });
  return stdout;
}

describe('execFast', () => {
  const runs: Array<{ script: string; code: number | null; signal: string | null; stdout: string; stderr: string }> = [
    { script: 'echo out; echo err >&2', code: 0, signal: null, stdout: 'out\n', stderr: 'err\n' },
    { script: 'printf héllo; exit 3', code: 3, signal: null, stdout: 'héllo', stderr: '' },
    { script: 'exit 255', code: 255, signal: null, stdout: '', stderr: '' },
    { script: 'kill -TERM $$', code: null, signal: 'SIGTERM', stdout: '', stderr: '' },
    { script: 'kill -KILL $$', code: null, signal: 'SIGKILL', stdout: '', stderr: '' },
  ];
  for (const { script, ...expected } of runs) {
    test(`reports code, signal and output of sh -c '${script}'`, async () => {
      assert.deepEqual(await execFast('/bin/sh', ['-c', script]), expected);
    });
  }

  test('writes input to stdin and closes it', async () => {
    const { stdout } = await execFast('/bin/cat', [], { input: 'line one\nline two' });
    assert.equal(stdout, 'line one\nline two');
  });

  test('gives the child exactly the env it was given', async () => {
    const { stdout } = await execFast('/usr/bin/env', [], { env: { A: '1', SPACED: 'x y', GONE: undefined } });
    assert.equal(stdout, 'A=1\nSPACED=x y\n');
  });

  test('runs the child in cwd', async () => {
    const { stdout } = await execFast('/bin/pwd', [], { cwd: '/usr/lib' });
    assert.equal(stdout, '/usr/lib\n');
  });

  test('looks a bare program name up in the PATH of the env given', async () => {
    const { stdout } = await execFast('echo', ['found'], { env: { PATH: '/nonexistent:/bin' } });
    assert.equal(stdout, 'found\n');
  });

  test('restores the default SIGPIPE so a pipeline into head finishes', HANG, async () => {
    const { stdout, code } = await execFast('/bin/sh', ['-c', 'yes | head -n1']);
    assert.deepEqual([stdout, code], ['y\n', 0]);
  });

  test('kills the child and rejects with an AbortError when aborted', HANG, async () => {
    const ac = new AbortController();
    const run = execFast('/bin/sleep', ['100'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(run, { name: 'AbortError' });
  });

  test('kills the child and rejects past maxBuffer', HANG, async () => {
    await assert.rejects(execFast('/usr/bin/yes', [], { maxBuffer: 1000 }), {
      name: 'RangeError',
      code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER',
    });
  });

  test('rejects with the spawn error when the program cannot be run', async () => {
    await assert.rejects(execFast('/nonexistent/program', []), { code: 'ENOENT' });
  });
});

describe('spawnFast', () => {
  test('reads the extra outputs at fd 3 and up', async () => {
    const child = spawnFast('/bin/sh', ['-c', 'echo three >&3; echo four >&4'], { extraOutputs: 2 });
    const texts = child.extra.map(async (s) => (await s.toArray()).join(''));
    assert.deepEqual(await Promise.all(texts), ['three\n', 'four\n']);
    assert.deepEqual(await child.exited, { code: 0, signal: null });
  });

  test('offers streams only for the pipes asked for', async () => {
    const child = spawnFast('/bin/true', [], { stdin: 'pipe', stdout: 'ignore', stderr: 'ignore' });
    assert.notEqual(child.stdin, null);
    assert.deepEqual([child.stdout, child.stderr, child.extra], [null, null, []]);
    child.stdin?.end();
    await child.exited;
  });

  test('gives the child a copy of an fd of ours, which stays open for us', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spawn-fd-'));
    try {
      const file = join(dir, 'out');
      const fh = await open(file, 'w');
      const child = spawnFast('/bin/sh', ['-c', 'echo from child; echo to stderr >&2'], {
        stdout: fh.fd,
        stderr: fh.fd,
      });
      assert.equal(child.stdout, null);
      assert.deepEqual(await child.exited, { code: 0, signal: null });
      await fh.write('from us\n');
      await fh.close();
      assert.equal(await readFile(file, 'utf8'), 'from child\nto stderr\nfrom us\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('signals a running child through kill, and not one already reaped', HANG, async () => {
    const child = spawnFast('/bin/sleep', ['100'], { stdout: 'ignore', stderr: 'ignore' });
    child.kill('SIGTERM');
    assert.deepEqual(await child.exited, { code: null, signal: 'SIGTERM' });
    child.kill('SIGTERM');
  });

  test('starts a detached child in a session of its own', async () => {
    const ours = sessionOf(await readFile('/proc/self/stat', 'utf8'));
    for (const detached of [false, true]) {
      const child = spawnFast('/bin/sh', ['-c', 'cat /proc/$$/stat'], { detached });
      const session = sessionOf((await child.stdout?.toArray())?.join('') ?? '');
      await child.exited;
      assert.equal(session, detached ? child.pid : ours);
    }
  });

  test('SIGKILLs the child on abort and still settles exited', HANG, async () => {
    const ac = new AbortController();
    const child = spawnFast('/bin/sleep', ['100'], { signal: ac.signal, stdout: 'ignore', stderr: 'ignore' });
    ac.abort();
    assert.deepEqual(await child.exited, { code: null, signal: 'SIGKILL' });
  });

  test('starts nothing when the signal is already aborted', () => {
    assert.throws(() => spawnFast('/bin/true', [], { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  test('throws Node-style errors for programs that cannot be run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-spawn-'));
    try {
      const noShebang = join(dir, 'no-shebang');
      await writeFile(noShebang, '\x7fELF garbage');
      await chmod(noShebang, 0o755);
      const notExecutable = join(dir, 'not-executable');
      await writeFile(notExecutable, '#!/bin/sh\n');
      await chmod(notExecutable, 0o644);
      const cases: Array<[string, string]> = [
        ['/nonexistent/program', 'ENOENT'],
        ['berth-no-such-program', 'ENOENT'],
        [notExecutable, 'EACCES'],
        [noShebang, 'ENOEXEC'],
      ];
      for (const [path, code] of cases) {
        assert.throws(() => spawnFast(path, []), { code, syscall: 'posix_spawn', path }, path);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('names a missing cwd in the error', () => {
    assert.throws(() => spawnFast('/bin/true', [], { cwd: '/nonexistent/dir' }), {
      code: 'ENOENT',
      path: '/nonexistent/dir',
    });
  });

  test('rejects NUL bytes instead of cutting arguments short', () => {
    assert.throws(() => spawnFast('/bin/echo', ['a\0b']), { kind: 'invalid-argument' });
  });
});

describe('fds and reaping', () => {
  test('leaks no fd over 50 spawns that succeed, fail or are aborted', HANG, async () => {
    await execFast('/bin/true', []); // binds libc and installs the SIGCHLD listener first
    const before = await openFds();
    for (let i = 0; i < 50; i++) {
      await execFast('/bin/sh', ['-c', 'cat; echo x >&3', 'sh'], { input: 'in', extraOutputs: 1 });
      assert.throws(() => spawnFast('/nonexistent/program', [], { stdin: 'pipe', extraOutputs: 2 }));
      const ac = new AbortController();
      const aborted = execFast('/bin/sleep', ['100'], { signal: ac.signal });
      ac.abort();
      await assert.rejects(aborted, { name: 'AbortError' });
    }
    assert.equal(await openFds(), before);
  });

  test('gives each of 50 concurrent children its own exit code', HANG, async () => {
    const runs = Array.from({ length: 50 }, (_, n) => execFast('/bin/sh', ['-c', `exit ${n}`]));
    const codes = (await Promise.all(runs)).map((r) => r.code);
    assert.deepEqual(
      codes,
      Array.from({ length: 50 }, (_, n) => n),
    );
  });

  test('reaps its children and child_process reaps its own when both run at once', HANG, async () => {
    const viaLibuv = Array.from({ length: 20 }, (_, n) => execFileStatus('/bin/sh', ['-c', `echo ${n}; exit ${n}`]));
    const viaPosixSpawn = Array.from({ length: 20 }, (_, n) => execFast('/bin/sh', ['-c', `exit ${n}`]));
    const [libuvOut, fast] = await Promise.all([Promise.all(viaLibuv), Promise.all(viaPosixSpawn)]);
    assert.deepEqual(
      libuvOut,
      Array.from({ length: 20 }, (_, n) => ({ code: n, stdout: `${n}\n` })),
    );
    assert.deepEqual(
      fast.map((r) => r.code),
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  test('lets the process exit once its children are reaped', HANG, async () => {
    const out = await runNode(`const c = spawnFast('/bin/true', []); c.stdout.resume(); c.stderr.resume();
      console.log(JSON.stringify(await c.exited));`);
    assert.equal(out, '{"code":0,"signal":null}\n');
  });

  test('keeps the process alive while a child with no pipes is running', HANG, async () => {
    const out = await runNode(`spawnFast('/bin/sleep', ['0.3'], { stdout: 'ignore', stderr: 'ignore' })
      .exited.then((s) => console.log('exited', s.code));`);
    assert.equal(out, 'exited 0\n');
  });
});

test('reaps children spawned from a worker thread, where no SIGCHLD event arrives', HANG, async () => {
  const url = new URL('./spawn-exec.js', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(url)}).then(async ({ execFast }) => {
      const { parentPort } = await import('node:worker_threads');
      parentPort.postMessage(await execFast('/bin/sh', ['-c', 'echo w; exit 4']));
    });`,
    { eval: true },
  );
  const [result] = (await once(worker, 'message')) as unknown[];
  assert.deepEqual(result, { code: 4, signal: null, stdout: 'w\n', stderr: '' });
  assert.deepEqual(await once(worker, 'exit'), [0]);
});

describe('decodeWaitStatus', () => {
  const cases: Array<[number, { code: number | null; signal: string | null }]> = [
    [0, { code: 0, signal: null }],
    [0x0300, { code: 3, signal: null }],
    [0xff00, { code: 255, signal: null }],
    [9, { code: null, signal: 'SIGKILL' }],
    [15 | 0x80, { code: null, signal: 'SIGTERM' }], // 0x80: core dumped
    [6, { code: null, signal: 'SIGABRT' }],
  ];
  for (const [status, expected] of cases) {
    test(`decodes wait status 0x${status.toString(16)}`, () => {
      assert.deepEqual(decodeWaitStatus(status), expected);
    });
  }
});
