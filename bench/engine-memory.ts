/**
 * The memory an engine holds, summed over its processes: berthd plus one
 * conmon per running container; dockerd plus its containerd plus one
 * containerd-shim per running container. Helpers are found by walking /proc
 * for their command name and a command line naming the engine's exec root
 * (conmon gets runc's `--root` below it; containerd its config, each shim
 * the containerd socket), so the other engine's helpers never count.
 *
 * The sum is of Pss (smaps_rollup), not VmRSS: Pss charges each shared page
 * 1/n to each of the n processes mapping it, so twenty conmons sharing one
 * copy of libglib add it once, not twenty times, and the sum is what the
 * set really occupies. Sharing with processes outside the set (libc) is
 * split the same way, which slightly favours whichever engine shares more.
 */
import { readFile, readdir } from 'node:fs/promises';
import type { Engine } from './engines.js';

/** Helper process names per engine; comm is cut to 15 bytes ('containerd-shim' for -runc-v2). */
const HELPER_COMMS: Record<Engine['name'], readonly string[]> = {
  berth: ['conmon'],
  dockerd: ['containerd', 'containerd-shim'],
};

export interface EngineMemory {
  /** Sum of Pss over the daemon and its helpers, in MiB. */
  readonly pssMiB: number;
  /** The daemon's own part of pssMiB. */
  readonly daemonMiB: number;
  /** How many helper processes of each name were counted. */
  readonly helpers: Readonly<Record<string, number>>;
}

export async function engineMemory(engine: Engine): Promise<EngineMemory> {
  const helpers: Record<string, number> = {};
  const pids = [engine.pid];
  for (const { pid, comm } of await helperProcesses(engine)) {
    pids.push(pid);
    helpers[comm] = (helpers[comm] ?? 0) + 1;
  }
  const daemonKiB = await pssKiB(engine.pid);
  if (daemonKiB === undefined) throw new Error(`${engine.name}: daemon pid ${engine.pid} is gone`);
  let kiB = daemonKiB;
  // A helper that exits during the walk counts as nothing.
  for (const pid of pids.slice(1)) kiB += (await pssKiB(pid)) ?? 0;
  return { pssMiB: kiB / 1024, daemonMiB: daemonKiB / 1024, helpers };
}

async function helperProcesses(engine: Engine): Promise<Array<{ pid: number; comm: string }>> {
  const comms = HELPER_COMMS[engine.name];
  const found: Array<{ pid: number; comm: string }> = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === engine.pid) continue;
    // Processes come and go during the walk: a vanished one reads as empty.
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (!comms.includes(comm)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(engine.execRoot)) found.push({ pid, comm });
  }
  return found;
}

/** The Pss line of /proc/<pid>/smaps_rollup in KiB; undefined once the process has exited. */
async function pssKiB(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
  const match = text === undefined ? null : /^Pss:\s+(\d+) kB$/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
