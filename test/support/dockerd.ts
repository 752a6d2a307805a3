import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { run, startDaemon, waitForPing, type CommandResult, type TestDaemon } from './daemon.js';

const DOCKERD = '/usr/sbin/dockerd';

/** Real dockerd (Debian docker.io) as the reference engine, with no networking so it leaves the host's iptables alone. */
export interface ReferenceDockerd {
  docker(args: string[], options?: { input?: Buffer | string }): Promise<CommandResult>;
  stop(): Promise<void>;
}

export function dockerdSkipReason(): string | false {
  return existsSync(DOCKERD) ? false : 'dockerd (Debian docker.io) is not installed; npm run setup installs it';
}

export async function startDockerd(root: string): Promise<ReferenceDockerd> {
  const dir = join(root, 'dockerd');
  await mkdir(dir, { recursive: true });
  const socket = join(dir, 'd.sock');
  const child: ChildProcess = spawn(
    DOCKERD,
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'pid'),
      '--host',
      `unix://${socket}`,
      '--bridge',
      'none',
      '--iptables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--storage-driver',
      'overlay2',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  await waitForPing(socket, child, () => log);
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  return {
    docker: (args, options = {}) => run('/usr/local/bin/docker', args, { env, input: options.input }),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      // dockerd leaves its overlay mounts and containerd behind only if it crashed; sweep anyway.
      await run('/bin/sh', ['-c', `grep -o " ${dir}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    },
  };
}

/** A berthd and a reference dockerd side by side; set once the suite's `before` hook has run. */
export interface EnginePair {
  berth: TestDaemon;
  dockerd: ReferenceDockerd;
}

/**
 * Call inside a describe: starts a berthd and a dockerd under its root
 * before the suite's tests and stops both after them, a half-started pair
 * included. Read the fields inside tests, not at describe time.
 */
export function useBerthAndDockerd(): EnginePair {
  const pair: Partial<EnginePair> = {};
  before(async () => {
    pair.berth = await startDaemon();
    pair.dockerd = await startDockerd(pair.berth.root);
  });
  after(async () => {
    await pair.dockerd?.stop();
    await pair.berth?.stop();
  });
  return {
    get berth() {
      return pair.berth ?? assert.fail('berthd is not started yet');
    },
    get dockerd() {
      return pair.dockerd ?? assert.fail('dockerd is not started yet');
    },
  };
}

/** Asserts a docker CLI run succeeded and returns its trimmed stdout. */
export async function succeeded(r: Promise<CommandResult>): Promise<string> {
  const res = await r;
  assert.equal(res.code, 0, res.stderr + res.stdout);
  return res.stdout.trim();
}
