/**
 * One healthcheck probe: the command run in the running container with
 * `runc exec`, as `docker exec` runs one, its stdout and stderr kept
 * together up to Docker's limit, and killed when it outlives the timeout.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BerthError, errorMessage } from '../kernel/index.js';
import { buildExecProcess, readExecPid, resolveUser, spawnExec } from '../runtime/index.js';
import type { OciRuntime } from '../spec/index.js';
import { goDuration, MAX_OUTPUT_BYTES, type HealthProbe } from './health.js';
import type { Container, HealthcheckResult } from './types.js';

export interface ProbeTarget {
  container: Container;
  /** The container's directory (its bundle's config.json and rootfs). */
  dir: string;
  runcRoot: string;
  /** Scratch directory for this probe's process.json, pid file and runc log. */
  workDir: string;
}

export async function runHealthProbe(probe: HealthProbe, target: ProbeTarget): Promise<HealthcheckResult> {
  const start = new Date().toISOString();
  const done = (ExitCode: number, Output: string): HealthcheckResult => ({
    Start: start,
    End: new Date().toISOString(),
    ExitCode,
    Output,
  });
  try {
    await mkdir(target.workDir, { recursive: true, mode: 0o700 });
    const processFile = join(target.workDir, 'process.json');
    await writeFile(processFile, JSON.stringify(await probeProcess(probe.args, target)));
    const pidFile = join(target.workDir, 'pid');
    const proc = spawnExec({
      id: target.container.id,
      runcRoot: target.runcRoot,
      processFile,
      pidFile,
      logFile: join(target.workDir, 'runc.log'),
      stdin: false,
      stdout: true,
      stderr: true,
    });
    const output = new OutputBuffer();
    output.collect(proc.stdout);
    output.collect(proc.stderr);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), probe.timeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([proc.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await killProbe(pidFile);
      return done(-1, `Health check exceeded timeout (${goDuration(probe.timeoutMs)})`);
    }
    if (outcome.runtimeError !== undefined) return done(-1, outcome.runtimeError);
    return done(outcome.code, output.text());
  } catch (e: unknown) {
    return done(-1, errorMessage(e));
  } finally {
    await rm(target.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The container's own process with the probe's command (as an exec with no options of its own). */
async function probeProcess(args: string[], target: ProbeTarget): Promise<OciRuntime.Process> {
  const { container: c, dir } = target;
  const bundle = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as OciRuntime.Spec;
  if (bundle.process === undefined) throw new BerthError('internal', `container ${c.id} has no process in its bundle`);
  const user = await resolveUser(join(dir, 'rootfs'), c.spec.config.User ?? '', {
    groupAdd: c.spec.hostConfig.GroupAdd,
  });
  return buildExecProcess({
    base: bundle.process,
    container: c.spec.config,
    hostname: bundle.hostname ?? c.id.slice(0, 12),
    args,
    env: [],
    workingDir: '',
    user,
    tty: false,
  });
}

/** A probe that outlived its timeout is killed, so probes do not pile up in the container. */
async function killProbe(pidFile: string): Promise<void> {
  const pid = await readExecPid(pidFile).catch(() => undefined);
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** stdout and stderr interleaved as they come, the first MAX_OUTPUT_BYTES kept. */
class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  collect(stream: Readable | null): void {
    stream?.on('data', (chunk: Buffer) => {
      const room = MAX_OUTPUT_BYTES - this.size;
      if (room <= 0) return;
      const kept = chunk.subarray(0, room);
      this.chunks.push(kept);
      this.size += kept.length;
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
