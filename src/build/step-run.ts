/**
 * RUN: the command runs in a short-lived runc container on the step's
 * filesystem (`runc run`, attached: no conmon, since nothing outlives the
 * step), its output streamed into the build output.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { BerthError, errorMessage } from '../kernel/index.js';
import { buildRuntimeSpec, resolveUser, type EtcFiles } from '../runtime/index.js';
import type { BuildDeps } from './deps.js';
import type { StepRootfs } from './step-rootfs.js';

/** Debian's runc, as the runtime module uses. */
const RUNC = '/usr/sbin/runc';

export interface RunCommand {
  /** argv: the shell and the command for shell form, as written for exec form. */
  args: string[];
  env: string[];
  workingDir: string;
  user: string;
}

/**
 * Runs `command` in the step's rootfs and resolves its exit code. Output is
 * passed to `write` as it arrives. Aborting `signal` kills the container.
 */
export async function runStepCommand(
  deps: BuildDeps,
  step: StepRootfs,
  command: RunCommand,
  options: { write: (text: string) => void; signal?: AbortSignal; networkMode?: string },
): Promise<number> {
  const isolated = options.networkMode === 'none';
  const net = isolated ? undefined : await deps.network?.prepare(step.id);
  try {
    const hostname = step.id.slice(0, 12);
    const spec = buildRuntimeSpec({
      id: step.id,
      rootfs: step.rootfs,
      config: {
        Hostname: hostname,
        Env: command.env,
        Entrypoint: null,
        Cmd: command.args,
        WorkingDir: command.workingDir || '/',
      },
      // Until the engine passes a network provider, RUN shares the host's
      // network namespace, so `apt-get` reaches the mirror the host reaches.
      hostConfig: net || isolated ? {} : { NetworkMode: 'host' },
      user: await resolveUser(step.rootfs, command.user),
      etcFiles: await writeStepEtcFiles(step.dir, hostname, net === undefined && !isolated),
      network: net ? { kind: 'path', path: net.netnsPath } : isolated ? { kind: 'new' } : { kind: 'host' },
      host: deps.host,
    });
    await writeFile(join(step.dir, 'config.json'), JSON.stringify(spec));
    return await runc(deps, step, options);
  } finally {
    await net?.release();
  }
}

/**
 * hosts and resolv.conf as Docker gives a build container. On the host's
 * network the host's resolv.conf works as it is (loopback resolvers
 * included); in a namespace of its own, loopback resolvers are unreachable.
 */
async function writeStepEtcFiles(dir: string, hostname: string, hostNetwork: boolean): Promise<EtcFiles> {
  const files = { hostname: join(dir, 'hostname'), hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf') };
  await writeFile(files.hostname, `${hostname}\n`);
  await writeFile(
    files.hosts,
    `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`,
  );
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const lines = host.split('\n').filter((l) => hostNetwork || !/^\s*nameserver\s+(127\.|::1)/.test(l));
  await writeFile(files.resolvConf, lines.join('\n'));
  return files;
}

function runc(deps: BuildDeps, step: StepRootfs, options: { write: (text: string) => void; signal?: AbortSignal }) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(RUNC, ['--root', deps.runcRoot, 'run', '--bundle', step.dir, step.id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // One decoder per pipe: a chunk may end inside a UTF-8 sequence.
    for (const pipe of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      pipe.on('data', (chunk: Buffer) => options.write(decoder.write(chunk)));
    }
    const onAbort = () => {
      spawn(RUNC, ['--root', deps.runcRoot, 'kill', step.id, 'KILL'], { stdio: 'ignore' }).on('error', () => {});
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => reject(new BerthError('internal', `running runc: ${errorMessage(e)}`, { cause: e })));
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new BerthError('canceled', 'build canceled'));
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  });
}
