/**
 * RUN: the command runs in a short-lived runc container on the step's
 * filesystem (`runc run`, attached: no conmon, since nothing outlives the
 * step), its output streamed into the build output, in a sandbox on the
 * build's network that the engine prepares and releases around it.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { BerthError, errorMessage } from '../kernel/index.js';
import { buildRuntimeSpec, DEFAULT_RUNC_PATH, killContainer, resolveUser } from '../runtime/index.js';
import type { BuildDeps } from './deps.js';
import type { StepRootfs } from './step-rootfs.js';

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
  const hostname = step.id.slice(0, 12);
  const sandbox = await deps.network.prepare({ id: step.id, dir: step.dir, hostname }, options.networkMode);
  try {
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
      hostConfig: sandbox.namespace.kind === 'host' ? { NetworkMode: 'host' } : {},
      user: await resolveUser(step.rootfs, command.user),
      etcFiles: sandbox.etcFiles,
      network: sandbox.namespace,
      host: deps.host,
    });
    await writeFile(join(step.dir, 'config.json'), JSON.stringify(spec));
    return await runc(deps, step, options);
  } finally {
    await sandbox.release();
  }
}

function runc(deps: BuildDeps, step: StepRootfs, options: { write: (text: string) => void; signal?: AbortSignal }) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(DEFAULT_RUNC_PATH, ['--root', deps.runcRoot, 'run', '--bundle', step.dir, step.id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // One decoder per pipe: a chunk may end inside a UTF-8 sequence.
    for (const pipe of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      pipe.on('data', (chunk: Buffer) => options.write(decoder.write(chunk)));
    }
    // A container that already ended cannot be killed: nothing to do then.
    const onAbort = () => void killContainer(step.id, 'KILL', { runcRoot: deps.runcRoot }).catch(() => {});
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => reject(new BerthError('internal', `running runc: ${errorMessage(e)}`, { cause: e })));
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new BerthError('canceled', 'build canceled'));
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  });
}
