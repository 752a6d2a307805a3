import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { run, type CommandResult } from './daemon.js';

export const DOCKERD = '/usr/sbin/dockerd';

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
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((res) => {
      const req = request({ socketPath: socket, path: '/_ping' }, (r) => {
        r.resume();
        res(r.statusCode === 200);
      });
      req.on('error', () => res(false));
      req.end();
    });
    if (ok) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`dockerd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
