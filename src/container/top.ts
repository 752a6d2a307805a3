/**
 * `docker top`: the host's `ps` output, cut down to the processes in the
 * container's cgroup, as Docker does (it runs `ps` on the host and keeps the
 * rows whose PID column names one of the container's processes).
 */
import { execFile } from 'node:child_process';
import { BerthError, errorMessage, invalidArgument } from '../kernel/index.js';
import { cgroupPids, cgroupsOf } from '../runtime/index.js';

export interface TopView {
  Titles: string[];
  Processes: string[][];
}

/** Docker's default `ps` arguments. */
const DEFAULT_PS_ARGS = '-ef';

/** Splits `ps` output into titles and rows; the last column (the command) keeps its spaces. */
export function parsePsOutput(output: string, pids: ReadonlySet<number>): TopView {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = lines[0]?.trim().split(/\s+/) ?? [];
  const pidColumn = titles.indexOf('PID');
  if (pidColumn < 0) throw invalidArgument("Couldn't find PID field in ps output");
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (!pids.has(Number(fields[pidColumn]))) continue;
    const last = titles.length - 1;
    processes.push([...fields.slice(0, last), fields.slice(last).join(' ')]);
  }
  return { Titles: titles, Processes: processes };
}

/** Runs the host's `ps` with `psArgs` (Docker's `ps_args`) and keeps the rows of `pids`. */
async function listProcesses(pids: readonly number[], psArgs: string): Promise<TopView> {
  const args = (psArgs.trim() || DEFAULT_PS_ARGS).split(/\s+/);
  const output = await new Promise<string>((resolve, reject) => {
    execFile('ps', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      reject(new BerthError('internal', `Error running ps: ${stderr.trim() || errorMessage(err)}`, { cause: err }));
    });
  });
  return parsePsOutput(output, new Set(pids));
}

/** `ps` rows for the processes in the cgroups of `pid` (a container's init). */
export async function containerProcesses(pid: number, psArgs: string): Promise<TopView> {
  const dirs = await cgroupsOf(pid);
  return listProcesses(dirs ? await cgroupPids(dirs) : [], psArgs);
}
