import { readFile } from 'node:fs/promises';
import { allCapabilities } from './caps.js';

/**
 * The capabilities a privileged exec gets: every one the kernel knows that
 * berthd itself may still grant. A daemon running with a reduced bounding
 * set (inside another container, say) cannot hand out what it lacks; runc
 * would fail with "unable to apply caps: operation not permitted".
 */
export async function grantableCapabilities(lastCap: number): Promise<string[]> {
  const status = await readFile('/proc/self/status', 'utf8');
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  const all = allCapabilities(lastCap);
  if (hex === undefined) return all;
  const bounding = BigInt(`0x${hex}`);
  return all.filter((_, bit) => ((bounding >> BigInt(bit)) & 1n) === 1n);
}
