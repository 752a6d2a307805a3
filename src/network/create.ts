import { BerthError, conflict, invalidArgument } from '../kernel/index.js';
import type { NetworkRegistry } from './registry.js';
import {
  formatIpv4,
  formatPrefix,
  firstHost,
  parseIpv4,
  parsePrefix,
  pickFreePool,
  prefixContains,
  prefixesOverlap,
} from './subnets.js';
import type { NetworkSpec } from './types.js';

/** `POST /networks/create`'s body, the fields berth reads. */
export interface NetworkCreateRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  EnableIPv6?: boolean;
  CheckDuplicate?: boolean;
}

/** Names Docker keeps for its predefined networks. */
export const PREDEFINED = ['bridge', 'host', 'none'];

/** Linux limits interface names to 15 bytes (IFNAMSIZ - 1). */
function bridgeName(networkId: string): string {
  return `br-${networkId.slice(0, 12)}`;
}

/** Validates a create request and works out its subnet and gateway, as Docker's IPAM would. */
export async function planNetwork(
  req: NetworkCreateRequest,
  registry: NetworkRegistry,
  id: string,
): Promise<NetworkSpec> {
  const name = req.Name;
  if (!name) throw invalidArgument('network name is required');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
    throw invalidArgument(`invalid network name "${name}": must match [a-zA-Z0-9][a-zA-Z0-9_.-]`);
  }
  if (PREDEFINED.includes(name)) {
    throw new BerthError('forbidden', `${name} is a pre-defined network and cannot be created`);
  }
  if (registry.find(name)?.name === name) throw conflict(`network with name ${name} already exists`);
  const driver = req.Driver || 'bridge';
  if (driver !== 'bridge') {
    throw new BerthError(
      'not-implemented',
      `network driver "${driver}" is not supported by berth: only bridge networks can be created`,
    );
  }
  if (req.EnableIPv6) throw new BerthError('not-implemented', 'IPv6 networks are not supported by berth yet');
  if (req.IPAM?.Driver && req.IPAM.Driver !== 'default') {
    throw new BerthError('not-implemented', `IPAM driver "${req.IPAM.Driver}" is not supported by berth`);
  }
  const configs = req.IPAM?.Config ?? [];
  if (configs.length > 1) throw new BerthError('not-implemented', 'berth supports one IPv4 subnet per network');
  const c = configs[0] ?? {};
  const subnet = c.Subnet ? parsePrefix(c.Subnet) : pickFreePool(await registry.takenPrefixes());
  if (c.Subnet) {
    const mine = registry.list().flatMap((n) => (n.spec.subnet ? [parsePrefix(n.spec.subnet)] : []));
    if (mine.some((p) => prefixesOverlap(p, subnet))) {
      throw new BerthError('forbidden', 'Pool overlaps with other one on this address space');
    }
  } else if (c.Gateway || c.IPRange) {
    throw invalidArgument('a gateway or ip-range needs a subnet (--subnet)');
  }
  const gateway = c.Gateway ? parseIpv4(c.Gateway) : firstHost(subnet);
  if (gateway === undefined || !prefixContains(subnet, gateway)) {
    throw invalidArgument(`invalid gateway ${c.Gateway}: it is not in subnet ${formatPrefix(subnet)}`);
  }
  if (c.IPRange) {
    const range = parsePrefix(c.IPRange, 'ip-range');
    if (!prefixContains(subnet, range.base) || range.bits < subnet.bits) {
      throw invalidArgument(`invalid ip-range ${c.IPRange}: it is not in subnet ${formatPrefix(subnet)}`);
    }
  }
  return {
    driver: 'bridge',
    bridge: bridgeName(id),
    subnet: formatPrefix(subnet),
    gateway: formatIpv4(gateway),
    ...(c.IPRange ? { ipRange: c.IPRange } : {}),
    internal: req.Internal === true,
    labels: req.Labels ?? {},
    options: req.Options ?? {},
  };
}
