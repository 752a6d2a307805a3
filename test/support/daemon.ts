import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BERTHD = resolve(import.meta.dirname, '../../src/bin/berthd.js');
const BERTH = resolve(import.meta.dirname, '../../src/bin/berth.js');
const DOCKER_CLI = '/usr/local/bin/docker';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A real berthd on its own temporary data root and socket. */
export interface TestDaemon {
  readonly root: string;
  readonly dataRoot: string;
  readonly socket: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs the docker CLI against this daemon. */
  docker(args: string[], options?: { input?: Buffer | string }): Promise<CommandResult>;
  /** Runs berth's own CLI against this daemon. */
  berth(args: string[], options?: { input?: Buffer | string }): Promise<CommandResult>;
  /** A raw API request. */
  api(method: string, path: string, body?: Buffer | string): Promise<{ status: number; body: string }>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** Starts a new berthd on the same data root and socket. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Waits until an engine answers `/_ping` on `socket`; fails when `child` exits first or after 20 s. */
export async function waitForPing(socket: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`${socket}: the engine exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((res) => {
      const req = request({ socketPath: socket, path: '/_ping' }, (r) => {
        r.resume();
        res(r.statusCode === 200);
      });
      req.on('error', () => res(false));
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${socket}: no answer to /_ping: ${log()}`);
}

export function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: Buffer | string } = {},
): Promise<CommandResult> {
  return new Promise((res, rej) => {
    const child = spawn(file, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', rej);
    child.on('close', (code) =>
      res({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
    child.stdin.end(options.input);
  });
}

export interface DaemonOptions {
  /** Extra berthd flags, e.g. `['--insecure-registry', 'host:5000']`. */
  args?: string[];
  /** Extra environment for berthd and the clients this daemon's helpers run. */
  env?: NodeJS.ProcessEnv;
}

export async function startDaemon(options: DaemonOptions = {}): Promise<TestDaemon> {
  // Short paths: a unix socket path must fit in 107 bytes.
  const root = await mkdtemp(join(tmpdir(), 'berth-'));
  const dataRoot = join(root, 'data');
  const socket = join(root, 'b.sock');
  const env = { ...process.env, ...options.env, DOCKER_HOST: `unix://${socket}`, BERTH_HOST: `unix://${socket}` };
  let child!: ChildProcess;
  let log = '';
  const start = async () => {
    child = spawn(
      process.execPath,
      [
        BERTHD,
        '--data-root',
        dataRoot,
        '--exec-root',
        join(root, 'run'),
        '--host',
        `unix://${socket}`,
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    await waitForPing(socket, child, () => log);
  };
  const exited = () =>
    new Promise<void>((res) =>
      child.exitCode !== null || child.signalCode !== null ? res() : child.once('exit', () => res()),
    );
  await start();
  return {
    root,
    dataRoot,
    socket,
    env,
    docker: (args, options = {}) => run(DOCKER_CLI, args, { env, input: options.input }),
    berth: (args, options = {}) => run(process.execPath, [BERTH, ...args], { env, input: options.input }),
    api: (method, path, body) =>
      new Promise((res, rej) => {
        const req = request({ socketPath: socket, method, path }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', rej);
        req.end(body);
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    restart: start,
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
      await rm(root, { recursive: true, force: true });
    },
  };
}
