import type { CniConfigList, CniPluginConfig } from './cni.js';
import { formatIpv4, hostRange, parsePrefix } from './subnets.js';
import type { Network, PortMapping } from './types.js';

/**
 * The CNI chain of a bridge network: bridge with host-local IPAM (state
 * under `<dataRoot>/networks/ipam`) and, when the container publishes
 * ports, portmap (its SNAT makes 127.0.0.1 work). Masquerade and FORWARD
 * acceptance are per-network rules berth installs once (host-rules.ts):
 * the bridge plugin's ipMasq and the firewall plugin each run several
 * iptables commands per container, which tripled the cost of a start.
 */
export function bridgeConfigList(
  n: Network,
  ipamDir: string,
  runtime: { ports?: PortMapping[]; ipv4?: string; mac?: string } = {},
): CniConfigList {
  const { spec } = n;
  const range: Record<string, string> = { subnet: spec.subnet ?? '' };
  if (spec.gateway) range.gateway = spec.gateway;
  // --ip-range bounds only what host-local hands out; a fixed --ip may be anywhere in the subnet.
  if (spec.ipRange && !runtime.ipv4) Object.assign(range, ipRangeBounds(spec.ipRange));
  const bridge: CniPluginConfig = {
    type: 'bridge',
    bridge: spec.bridge,
    isGateway: true,
    ipMasq: false,
    hairpinMode: true,
    ipam: {
      type: 'host-local',
      dataDir: ipamDir,
      ranges: [[range]],
      // An internal network has no default route: nothing leaves it.
      routes: spec.internal ? [] : [{ dst: '0.0.0.0/0' }],
    },
    ...bridgeRuntimeConfig(spec, runtime),
  };
  const plugins: CniPluginConfig[] = [bridge];
  if (runtime.ports?.length) {
    plugins.push({
      type: 'portmap',
      snat: true,
      capabilities: { portMappings: true },
      runtimeConfig: {
        portMappings: runtime.ports.map((p) => ({
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: p.protocol,
          ...(p.hostIp && p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}),
        })),
      },
    });
  }
  return { name: n.id.slice(0, 12), plugins };
}

/** A fixed address (`--ip`) and MAC (`--mac-address`), through the bridge plugin's capabilities. */
function bridgeRuntimeConfig(
  spec: Network['spec'],
  runtime: { ipv4?: string; mac?: string },
): { capabilities?: Record<string, boolean>; runtimeConfig?: Record<string, unknown> } {
  const capabilities: Record<string, boolean> = {};
  const runtimeConfig: Record<string, unknown> = {};
  if (runtime.ipv4) {
    capabilities.ips = true;
    runtimeConfig.ips = [`${runtime.ipv4}/${prefixBits(spec)}`];
  }
  if (runtime.mac) {
    capabilities.mac = true;
    runtimeConfig.mac = runtime.mac;
  }
  return Object.keys(capabilities).length ? { capabilities, runtimeConfig } : {};
}

function prefixBits(spec: Network['spec']): string {
  return (spec.subnet ?? '/32').split('/')[1] ?? '32';
}

/** host-local's rangeStart/rangeEnd for `--ip-range`: its usable addresses. */
function ipRangeBounds(ipRange: string): { rangeStart: string; rangeEnd: string } {
  const { first, last } = hostRange(parsePrefix(ipRange, 'ip-range'));
  return { rangeStart: formatIpv4(first), rangeEnd: formatIpv4(last) };
}
