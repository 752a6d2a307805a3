/**
 * Finding a container's cgroups and reading what the kernel counts there,
 * for `docker top` and `docker stats`. The cgroups are located through the
 * init process's `/proc/<pid>/cgroup` rather than rebuilt from the spec's
 * `cgroupsPath`, so a `--cgroup-parent` or a hybrid host needs no special case.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../kernel/index.js';

/** Where the kernel mounts cgroup hierarchies. */
const CGROUP_ROOT = '/sys/fs/cgroup';

/** A container's cgroup directories: one per v1 controller, or one unified v2 directory. */
export type CgroupDirs = { version: 1; controllers: ReadonlyMap<string, string> } | { version: 2; dir: string };

/**
 * Parses `/proc/<pid>/cgroup` (`hierarchy-id:controllers:path` lines). On a
 * hybrid host the `0::` line names the unified hierarchy, which holds no v1
 * controller, so v1 lines win whenever there are any.
 */
export function parseProcCgroup(text: string, root = CGROUP_ROOT): CgroupDirs | undefined {
  const controllers = new Map<string, string>();
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const [, , names = '', path = ''] = m;
    if (names === '') unified = path;
    for (const name of names.split(',')) {
      // `name=systemd` is a named hierarchy without a controller.
      if (name !== '' && !name.startsWith('name=')) controllers.set(name, join(root, name, path));
    }
  }
  if (controllers.size > 0) return { version: 1, controllers };
  return unified === undefined ? undefined : { version: 2, dir: join(root, unified) };
}

/** The cgroups of a running process; undefined once it is gone. */
export async function cgroupsOf(pid: number): Promise<CgroupDirs | undefined> {
  const text = await readOptional(`/proc/${pid}/cgroup`);
  return text === undefined ? undefined : parseProcCgroup(text);
}

/** The directory holding `controller`'s files (v2 has only one). */
export function controllerDir(dirs: CgroupDirs, controller: string): string | undefined {
  return dirs.version === 2 ? dirs.dir : dirs.controllers.get(controller);
}

/** Every process in the container's cgroup (host PIDs). */
export async function cgroupPids(dirs: CgroupDirs): Promise<number[]> {
  const dir = controllerDir(dirs, 'pids') ?? controllerDir(dirs, 'memory');
  const text = dir === undefined ? undefined : await readOptional(join(dir, 'cgroup.procs'));
  return (text ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

/** A file's text, or undefined when it (or its cgroup) does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e: unknown) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ESRCH') || isErrno(e, 'ENODEV')) return undefined;
    throw e;
  }
}
