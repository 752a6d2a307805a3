/**
 * For the runtime's tests only: a throwaway OCI bundle with a busybox rootfs,
 * made with `runc spec` (the real spec generator lives in spec*.ts), plus the
 * directories conmon needs, and a teardown that leaves nothing running.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConmonArgsOptions } from './conmon-args.js';
import { deleteContainer, DEFAULT_RUNC_PATH } from './runc.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

/** Why the real-runtime tests cannot run here, or undefined when they can. */
export function runtimeTestSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to run containers';
  for (const bin of [DEFAULT_RUNC_PATH, '/usr/bin/conmon', BUSYBOX])
    if (!existsSync(bin)) return `${bin} is not installed`;
  return undefined;
}

export interface TestBundle extends ConmonArgsOptions {
  root: string;
  cleanup(): Promise<void>;
}

let counter = 0;

/** A bundle whose process runs `args`, with paths for conmon under one temporary root. */
export async function makeTestBundle(args: string[], tty = false): Promise<TestBundle> {
  const root = await mkdtemp(join(tmpdir(), 'berth-rt-'));
  const id = `berth-test-${process.pid}-${Date.now()}-${++counter}`;
  const bundle = join(root, 'bundle');
  const bin = join(bundle, 'rootfs', 'bin');
  await mkdir(bin, { recursive: true });
  await copyFile(BUSYBOX, join(bin, 'busybox'));
  for (const name of ['sh', 'echo', 'sleep', 'cat']) await symlink('busybox', join(bin, name));
  await run(DEFAULT_RUNC_PATH, ['spec'], { cwd: bundle });
  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as {
    process: { args: string[]; terminal: boolean };
  };
  config.process.args = args;
  config.process.terminal = tty;
  await writeFile(join(bundle, 'config.json'), JSON.stringify(config));
  const paths = { exitDir: join(root, 'exits'), socketDir: join(root, 'sockets'), runcRoot: join(root, 'runc') };
  for (const dir of Object.values(paths)) await mkdir(dir, { recursive: true });
  const tb: TestBundle = {
    id,
    root,
    bundle,
    ...paths,
    logPath: join(root, 'container.log'),
    tty,
    stdin: false,
    cleanup: async () => {
      await deleteContainer(id, { runcRoot: paths.runcRoot, force: true }).catch(() => undefined);
      await killConmonOf(bundle);
      await rm(root, { recursive: true, force: true });
    },
  };
  return tb;
}

async function killConmonOf(bundle: string): Promise<void> {
  try {
    const pid = Number.parseInt(await readFile(join(bundle, 'conmon.pid'), 'utf8'), 10);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // Never started, or already gone.
  }
}
