import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/index.js';
import { BerthError, conflict, errorMessage, invalidArgument, notFound, type Logger } from '../kernel/index.js';
import { buildExecProcess, readExecPid, resolveUser, type HostFacts } from '../runtime/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { runExecProcess, execConfigOf, type ExecIO, type ExecRecord } from './exec-session.js';
import { execInspectView, type ExecInspectView } from './exec-view.js';
import { containerPaths, type ContainerPaths } from './paths.js';
import type { ContainerService } from './service.js';
import type { Container } from './types.js';

export interface ExecServiceOptions {
  containers: ContainerService;
  dataRoot: string;
  execRoot: string;
  host: HostFacts;
  events: EventBus;
  logger: Logger;
}

/** Docker forgets a finished exec after a while; so does berth (it keeps them in memory only). */
const FORGET_AFTER_MS = 5 * 60 * 1000;

/**
 * `docker exec`: processes started in a running container with runc exec.
 * Exec instances live in memory, as in Docker: they do not outlive berthd.
 */
export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();
  private readonly paths: ContainerPaths;

  constructor(private readonly options: ExecServiceOptions) {
    this.paths = containerPaths(options.dataRoot, options.execRoot);
  }

  /** `POST /containers/{id}/exec`: records the exec; nothing runs yet. */
  create(ref: string, body: Api.ContainerExecBody): { Id: string } {
    const c = this.options.containers.get(ref);
    checkRunning(c);
    const config = execConfigOf(body);
    if (config.cmd.length === 0) throw invalidArgument('No exec command specified');
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, {
      id,
      containerId: c.id,
      config,
      status: 'created',
      dir: join(this.options.execRoot, 'exec', id),
    });
    this.emit(c, 'exec_create', id);
    return { Id: id };
  }

  async inspect(id: string): Promise<ExecInspectView> {
    const rec = this.get(id);
    const pid = rec.status === 'running' ? await readExecPid(join(rec.dir, 'pid')) : undefined;
    return execInspectView(rec, pid ?? 0);
  }

  /** Whether the exec was created with a TTY (its stream is then raw, not framed). */
  tty(id: string): boolean {
    return this.get(id).config.tty;
  }

  /**
   * Claims the exec and checks its container still runs; throws (not-found,
   * conflict) before anything starts, so the API can answer with a status.
   * The returned function runs it, copying its streams, and resolves with
   * the exit code once it has ended and its output is copied. As with
   * Docker, a failure to start it is written to its stdout and is exit 126.
   */
  start(id: string): (io: ExecIO) => Promise<number> {
    const { rec, c } = this.claim(id);
    return async (io) => {
      let processFile: string;
      try {
        processFile = await this.prepare(rec, c);
      } catch (e: unknown) {
        (io.stdout ?? io.stderr)?.write(`${errorMessage(e)}\r\n`);
        return 126;
      }
      return this.execute(rec, c, processFile, io);
    };
  }

  /**
   * `POST /exec/{id}/resize`. A process without a terminal has no window
   * size; Docker accepts the call for it and does nothing, and so does berth.
   * The CLI may ask before the terminal exists; the size is then kept and
   * applied once it does.
   */
  resize(id: string, size: { height: number; width: number }): void {
    const rec = this.get(id);
    if (size.height < 0 || size.width < 0) throw invalidArgument('height and width must be positive');
    if (!rec.config.tty) return;
    rec.size = size;
    rec.resize?.(size);
  }

  /** `Detach: true`: starts it and returns; the exit is recorded when it comes. */
  async startDetached(id: string): Promise<void> {
    const { rec, c } = this.claim(id);
    const processFile = await this.prepare(rec, c);
    this.execute(rec, c, processFile, {}).catch((e: unknown) =>
      this.options.logger.warn('exec failed', { id, error: errorMessage(e) }),
    );
  }

  private claim(id: string): { rec: ExecRecord; c: Container } {
    const rec = this.get(id);
    if (rec.status === 'running') throw conflict(`Error: Exec command ${id} is already running`);
    if (rec.status === 'exited') throw conflict(`Error: Exec command ${id} has already run`);
    const c = this.options.containers.get(rec.containerId);
    checkRunning(c);
    rec.status = 'running';
    return { rec, c };
  }

  /** Writes process.json; a failure (unknown user, bad working dir) ends the exec with 126. */
  private async prepare(rec: ExecRecord, c: Container): Promise<string> {
    try {
      return await this.writeProcess(rec, c);
    } catch (e: unknown) {
      await this.finish(rec, c, 126);
      throw e;
    }
  }

  private async execute(rec: ExecRecord, c: Container, processFile: string, io: ExecIO): Promise<number> {
    this.emit(c, 'exec_start', rec.id);
    let code = 126;
    try {
      const exit = await runExecProcess(rec.config, io, {
        runcRoot: this.paths.runcRoot,
        containerId: c.id,
        processFile,
        pidFile: join(rec.dir, 'pid'),
        logFile: join(rec.dir, 'runc.log'),
        ...(rec.size ? { initialSize: rec.size } : {}),
        onTerminal: (resize) => {
          rec.resize = resize;
        },
      });
      code = exit.code;
      if (exit.runtimeError !== undefined)
        this.options.logger.debug('runc exec failed', { id: rec.id, error: exit.runtimeError });
      return code;
    } finally {
      await this.finish(rec, c, code);
    }
  }

  private async finish(rec: ExecRecord, c: Container, code: number): Promise<void> {
    rec.status = 'exited';
    delete rec.resize;
    rec.exitCode = code;
    await rm(rec.dir, { recursive: true, force: true });
    this.emit(c, 'exec_die', rec.id, { exitCode: String(code) });
    setTimeout(() => this.execs.delete(rec.id), FORGET_AFTER_MS).unref();
  }

  private async writeProcess(rec: ExecRecord, c: Container): Promise<string> {
    const dir = this.options.containers.dirOf(c);
    const bundle = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as OciRuntime.Spec;
    if (bundle.process === undefined)
      throw new BerthError('internal', `container ${c.id} has no process in its bundle`);
    const { config } = rec;
    const user = await resolveUser(join(dir, 'rootfs'), config.user || (c.spec.config.User ?? ''), {
      groupAdd: c.spec.hostConfig.GroupAdd,
    });
    const proc = buildExecProcess({
      base: bundle.process,
      container: c.spec.config,
      hostname: bundle.hostname ?? c.id.slice(0, 12),
      args: config.cmd,
      env: config.env,
      workingDir: config.workingDir,
      user,
      tty: config.tty,
      ...(config.privileged ? { privilegedCapabilities: this.options.host.boundingCaps } : {}),
    });
    await mkdir(rec.dir, { recursive: true, mode: 0o700 });
    const file = join(rec.dir, 'process.json');
    await writeFile(file, JSON.stringify(proc));
    return file;
  }

  private get(id: string): ExecRecord {
    const rec = this.execs.get(id);
    if (rec === undefined) throw notFound(`No such exec instance: ${id}`);
    return rec;
  }

  private emit(c: Container, action: string, execId: string, extra: Record<string, string> = {}): void {
    const rec = this.execs.get(execId);
    const command = action === 'exec_die' ? '' : `: ${(rec?.config.cmd ?? []).join(' ')}`;
    this.options.events.emit('container', `${action}${command}`, c.id, {
      name: c.name,
      image: c.spec.image,
      execID: execId,
      ...extra,
    });
  }
}

/** Docker's refusals (moby daemon/exec.go), 409 each. */
function checkRunning(c: Container): void {
  if (c.state.status === 'paused') throw conflict(`Container ${c.id} is paused, unpause the container before exec`);
  if (c.state.status === 'restarting')
    throw conflict(`Container ${c.id} is restarting, wait until the container is running`);
  if (c.state.status !== 'running') throw conflict(`Container ${c.id} is not running`);
}
