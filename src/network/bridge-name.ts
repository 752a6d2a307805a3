import { createHash } from 'node:crypto';

/** The data root Docker-like installs use; its default bridge is `berth0`. */
const STANDARD_DATA_ROOT = '/var/lib/berth';

/**
 * The default network's bridge device: `berth0` for the standard data root,
 * else one derived from the root, so daemons on other roots (tests) do not
 * share a bridge or its addresses.
 */
export function defaultBridgeDevice(dataRoot: string): string {
  if (dataRoot === STANDARD_DATA_ROOT) return 'berth0';
  return `berth${createHash('sha256').update(dataRoot).digest('hex').slice(0, 8)}`;
}
