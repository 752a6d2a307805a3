import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, waitForPing, type CommandResult } from './daemon.js';

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
