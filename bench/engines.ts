/**
 * The two engines under comparison, each on a private socket and data root
 * below the run's workspace, both driven by the same docker CLI binary.
 *
 * dockerd 20.10 starts and supervises its own containerd (socket and config
 * under --exec-root) unless --containerd is given — or unless a system
 * containerd answers at /run/containerd/containerd.sock, which it would
 * silently share; startDockerd refuses in that case.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon, type Daemon } from './daemon.js';

export const ENGINE_NAMES = ['berth', 'dockerd'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface Engine {
  readonly name: EngineName;
  readonly socketPath: string;
  readonly dataRoot: string;
  /** Runtime state: berthd's runc root and conmon files, dockerd's containerd socket and shims' state. */
  readonly execRoot: string;
  /** The daemon's pid; its helpers (containerd, shims, conmon) are its descendants or name its paths. */
  readonly pid: number;
  readonly logPath: string;
  /** Environment for a docker CLI process aimed at this engine. */
  readonly cliEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** Private directory of this engine; everything it writes goes below it. */
  readonly dir: string;
  /** DOCKER_CONFIG for the CLI: keeps the user's config and credential helpers out of the measurement. */
  readonly dockerConfigDir: string;
  /**
   * Give dockerd its default bridge, iptables rules and ip_forward. Off, it
   * starts faster and leaves the host's firewall alone (DESIGN §6: it sets
   * FORWARD to DROP); only cases that run networked containers need it.
   */
  readonly networking: boolean;
  readonly readyTimeoutMs: number;
}

/** Where `npm run build` puts berthd, relative to this file in dist/bench/. */
const BERTHD_PATH = fileURLToPath(new URL('../src/bin/berthd.js', import.meta.url));
const SYSTEM_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

export function startEngine(name: EngineName, options: EngineOptions): Promise<Engine> {
  return name === 'berth' ? startBerthd(options) : startDockerd(options);
}

async function startBerthd(options: EngineOptions): Promise<Engine> {
  if (!existsSync(BERTHD_PATH)) {
    throw new Error(`berth: ${BERTHD_PATH} is missing — build berthd first (npm run build), or pass --only dockerd`);
  }
  const paths = await enginePaths(options.dir);
  const args = [
    ...[BERTHD_PATH, '--data-root', paths.dataRoot, '--exec-root', paths.execRoot],
    ...['--host', `unix://${paths.socketPath}`],
  ];
  return launch('berth', process.execPath, args, paths, options);
}

async function startDockerd(options: EngineOptions): Promise<Engine> {
  const dockerd = findDockerd();
  if (existsSync(SYSTEM_CONTAINERD_SOCKET)) {
    throw new Error(`dockerd: a system containerd listens at ${SYSTEM_CONTAINERD_SOCKET}; dockerd would share it`);
  }
  const paths = await enginePaths(options.dir);
  const configFile = join(options.dir, 'daemon.json');
  // An empty config file so /etc/docker/daemon.json, if any, does not apply.
  await writeFile(configFile, '{}\n');
  const args = [
    ...['--data-root', paths.dataRoot, '--exec-root', paths.execRoot],
    ...['--pidfile', join(options.dir, 'dockerd.pid'), '--host', `unix://${paths.socketPath}`],
    ...['--config-file', configFile, '--storage-driver', 'overlay2'],
    ...(options.networking ? [] : ['--bridge', 'none', '--iptables=false', '--ip-forward=false', '--ip-masq=false']),
  ];
  return launch('dockerd', dockerd, args, paths, options);
}

function findDockerd(): string {
  for (const candidate of ['/usr/sbin/dockerd', '/usr/bin/dockerd']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('dockerd: not installed — run scripts/bench-setup.sh');
}

interface EnginePaths {
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly socketPath: string;
  readonly logPath: string;
}

async function enginePaths(dir: string): Promise<EnginePaths> {
  const dataRoot = join(dir, 'data');
  await mkdir(dataRoot, { recursive: true });
  return {
    dataRoot,
    execRoot: join(dir, 'exec'),
    socketPath: join(dir, 'engine.sock'),
    logPath: join(dir, 'engine.log'),
  };
}

async function launch(
  name: EngineName,
  command: string,
  args: readonly string[],
  paths: EnginePaths,
  options: EngineOptions,
): Promise<Engine> {
  const daemon: Daemon = await startDaemon({
    label: name,
    command,
    args,
    socketPath: paths.socketPath,
    logPath: paths.logPath,
    readyTimeoutMs: options.readyTimeoutMs,
  });
  const cliEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `unix://${paths.socketPath}`,
    DOCKER_CONFIG: options.dockerConfigDir,
  };
  delete cliEnv.DOCKER_CONTEXT;
  delete cliEnv.DOCKER_TLS_VERIFY;
  return { name, ...paths, pid: daemon.pid, cliEnv, stop: () => daemon.stop() };
}
