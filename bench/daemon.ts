/**
 * One engine daemon as a child process: started in its own process group
 * with its output in a log file, ready when `GET /_ping` on its socket
 * answers 200, stopped with SIGTERM and then SIGKILL of the whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

interface DaemonSpec {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly socketPath: string;
  readonly logPath: string;
  readonly readyTimeoutMs: number;
}

export interface Daemon {
  readonly pid: number;
  /** Resolves once the process has exited, however it ended. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

const PING_INTERVAL_MS = 50;
const STOP_GRACE_MS = 20_000;

export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const log = await open(spec.logPath, 'a');
  // detached: a new process group, so a terminal's ^C reaches only us and we
  // choose the shutdown order; it also lets stop() kill the whole group.
  const child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  if (child.pid === undefined) throw new Error(`${spec.label}: could not start ${spec.command}`);
  const daemon: Daemon = { pid: child.pid, exited, stop: () => stopChild(child, exited) };
  try {
    await waitReady(spec, exited);
  } catch (e: unknown) {
    await daemon.stop();
    throw e;
  }
  return daemon;
}

async function waitReady(spec: DaemonSpec, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + spec.readyTimeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${spec.label} exited before it was ready; log tail:\n${await logTail(spec.logPath)}`);
    if ((await ping(spec.socketPath)) === 200) return;
    await sleep(PING_INTERVAL_MS);
  }
  throw new Error(
    `${spec.label} did not answer /_ping within ${spec.readyTimeoutMs} ms; log tail:\n${await logTail(spec.logPath)}`,
  );
}

/** The status of `GET /_ping` on a unix socket, or undefined when nothing answers. */
function ping(socketPath: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Unreferenced: once the daemon exits, this timer must not keep the bench alive.
  const graceful = await Promise.race([
    exited.then(() => true),
    sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => false),
  ]);
  if (graceful || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group emptied itself between the race and the kill.
  }
  await exited;
}

async function logTail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
