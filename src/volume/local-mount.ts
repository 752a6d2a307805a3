import { readFileSync } from 'node:fs';
import { BerthError, errorMessage, mount, umount2 } from '../kernel/index.js';
import { MS, parseMountOptions } from './mount-options.js';

/**
 * Mounts a local volume that has `type`/`device` options at its `_data`, as
 * mount(8) would with `-t type -o o device`. With `o=bind` the device is a
 * host path; flags beyond bind need a second, remounting call because the
 * kernel ignores them on the first.
 */
export function mountLocalVolume(options: Readonly<Record<string, string>>, target: string): void {
  const { flags, data } = parseMountOptions(options.o ?? '');
  const device = options.device ?? '';
  const type = options.type ?? 'none';
  try {
    if ((flags & MS.BIND) !== 0) {
      mount(device, target, null, flags & (MS.BIND | MS.REC));
      const rest = flags & ~(MS.BIND | MS.REC);
      if (rest !== 0) mount('', target, null, MS.REMOUNT | MS.BIND | rest);
      return;
    }
    mount(device, target, type === 'none' ? null : type, flags, data === '' ? undefined : data);
  } catch (e: unknown) {
    throw new BerthError(
      'internal',
      `error while mounting volume '${target}': failed to mount local volume: mount ${device}:${target}, flags: 0x${flags.toString(16)}, data: ${data}: ${errorMessage(e)}`,
      { cause: e },
    );
  }
}

/** Unmounts `target` when something is mounted there; lazily, as a stopped container's mount may still be busy. */
export function unmountLocalVolume(target: string): void {
  const MNT_DETACH = 2;
  if (isMountpoint(target)) umount2(target, MNT_DETACH);
}

export function isMountpoint(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === path);
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
