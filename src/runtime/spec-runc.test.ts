import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildRuntimeSpec } from './spec.js';
import { readHostFacts } from './spec-host.js';
import { resolveUser } from './user.js';

const run = promisify(execFile);
const runc = '/usr/sbin/runc';
const busybox = '/bin/busybox';

/** Docker's default capability set as the kernel shows it in /proc/<pid>/status. */
const dockerCapEff = '00000000a80425fb';

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to run runc';
  if (!existsSync(runc)) return `needs runc at ${runc}`;
  if (!existsSync(busybox)) return `needs a static busybox at ${busybox}`;
  return false;
}

async function makeBusyboxRootfs(rootfs: string): Promise<void> {
  await mkdir(path.join(rootfs, 'bin'), { recursive: true });
  await mkdir(path.join(rootfs, 'etc'));
  await copyFile(busybox, path.join(rootfs, 'bin/busybox'));
  for (const applet of ['sh', 'cat', 'grep', 'head', 'wc']) await symlink('busybox', path.join(rootfs, 'bin', applet));
  await writeFile(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(path.join(rootfs, 'etc/group'), 'root:x:0:root\n');
}

test(
  'runc runs the generated spec with Docker default capabilities and seccomp (needs root)',
  { skip: skipReason() },
  async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'berth-spec-runc-'));
    const bundle = path.join(tmp, 'bundle');
    const rootfs = path.join(bundle, 'rootfs');
    const id = `test-${randomBytes(6).toString('hex')}`;
    const runcArgs = ['--root', path.join(tmp, 'runc')];
    try {
      await makeBusyboxRootfs(rootfs);
      const script =
        'grep Cap /proc/self/status; grep Seccomp /proc/self/status; echo kcore=$(cat /proc/kcore | wc -c); echo ok';
      const spec = buildRuntimeSpec({
        id,
        rootfs,
        config: { Cmd: ['sh', '-c', script] },
        user: await resolveUser(rootfs, ''),
        network: { kind: 'new' },
        host: await readHostFacts(),
      });
      await writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec));
      // execFile rejects unless the container exits 0.
      const { stdout } = await run(runc, [...runcArgs, 'run', '--bundle', bundle, id], { timeout: 30_000 });
      assert.match(stdout, new RegExp(`^CapEff:\\s+${dockerCapEff}$`, 'm'));
      assert.match(stdout, new RegExp(`^CapBnd:\\s+${dockerCapEff}$`, 'm'));
      assert.match(stdout, /^CapInh:\s+0{16}$/m);
      assert.match(stdout, /^Seccomp:\s+2$/m);
      assert.match(stdout, /^kcore=0$/m, '/proc/kcore is masked');
      assert.match(stdout, /^ok$/m);
    } finally {
      await run(runc, [...runcArgs, 'delete', '-f', id]).catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
    }
  },
);
