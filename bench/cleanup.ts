/**
 * Leaving the machine as we found it: a LIFO stack of undo steps, and the
 * sweeps that catch what an engine leaves behind when it dies badly
 * (processes that still use the workspace, mounts below its data root).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { errorMessage } from '../src/kernel/index.js';

const execFileAsync = promisify(execFile);
const SLOW_STEP_MS = 2000;

/** Undo steps run newest first, once, each step's failure reported and skipped. */
export class Cleanup {
  readonly #steps: Array<{ what: string; fn: () => Promise<void> }> = [];
  #done: Promise<void> | undefined;

  defer(what: string, fn: () => Promise<void>): void {
    this.#steps.push({ what, fn });
  }

  run(): Promise<void> {
    this.#done ??= this.#runSteps();
    return this.#done;
  }

  async #runSteps(): Promise<void> {
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      const start = Date.now();
      try {
        await step.fn();
        const ms = Date.now() - start;
        // Slow undo steps are worth knowing about: they usually mean a daemon ignored SIGTERM.
        if (ms > SLOW_STEP_MS) process.stderr.write(`bench: cleanup: ${step.what} took ${(ms / 1000).toFixed(1)} s\n`);
      } catch (e: unknown) {
        process.stderr.write(`bench: cleanup: ${step.what}: ${errorMessage(e)}\n`);
      }
    }
  }
}

/** Mount points at or below `root`, deepest first, read from /proc/self/mountinfo. */
async function mountsUnder(root: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(decodeMountPath)
    .filter((p) => p === root || p.startsWith(`${root}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

// mountinfo escapes space, tab, newline and backslash as \ooo octal.
function decodeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Lazily unmounts everything below `root`. dockerd's overlay2 leaves its
 * data root bind-mounted and container rootfs mounted when it is killed.
 */
async function unmountUnder(root: string): Promise<void> {
  for (const point of await mountsUnder(root)) {
    try {
      await execFileAsync('umount', ['-l', point]);
    } catch (e: unknown) {
      // A parent's lazy unmount may already have taken this one with it.
      if ((await mountsUnder(point)).includes(point)) throw e;
    }
  }
}

/**
 * SIGKILLs every process whose command line names a path below `root`
 * (containerd, shims, conmon started for a dead engine), by pid.
 */
export async function killProcessesUnder(root: string): Promise<number[]> {
  const killed: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes(root)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Already gone between the read and the kill.
    }
  }
  return killed;
}

/** Unmounts, then removes the whole tree; refuses anything outside a temp dir. */
export async function removeWorkspace(root: string, tmpDir: string): Promise<void> {
  if (!root.startsWith(`${tmpDir}/`)) throw new Error(`refusing to remove ${root}: not below ${tmpDir}`);
  await unmountUnder(root);
  await rm(root, { recursive: true, force: true, maxRetries: 3 });
}
