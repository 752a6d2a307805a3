import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import type { NetworkRegistry } from './registry.js';
import { parseIpv4, parsePrefix, prefixContains } from './subnets.js';
import type { EndpointConfig } from './types.js';

/** How a container is networked, from `HostConfig.NetworkMode`. */
export type NetworkMode =
  | { kind: 'none' }
  | { kind: 'host' }
  /** Shares another container's namespace; the container module resolves the reference. */
  | { kind: 'container'; ref: string }
  /** The default bridge (`bridge`, `default`, empty) or a user-defined network by name or ID. */
  | { kind: 'network'; ref: string };

function defaultAsBridge(ref: string): string {
  return !ref || ref === 'default' ? 'bridge' : ref;
}

export function parseNetworkMode(mode: string | undefined): NetworkMode {
  if (!mode || mode === 'default' || mode === 'bridge') return { kind: 'network', ref: 'bridge' };
  if (mode === 'none') return { kind: 'none' };
  if (mode === 'host') return { kind: 'host' };
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    if (!ref) throw invalidArgument(`invalid network mode: ${mode}`);
    return { kind: 'container', ref };
  }
  return { kind: 'network', ref: mode };
}

/** One network a container will join, with what it asked of it. */
export interface EndpointPlan {
  networkId: string;
  config: EndpointConfig;
}

/**
 * The endpoints of a new container: its NetworkMode's network plus any
 * other in `NetworkingConfig.EndpointsConfig`, each validated as Docker does
 * (aliases and fixed addresses only on user-defined networks).
 */
export function planEndpoints(
  registry: NetworkRegistry,
  containerName: string,
  mode: NetworkMode,
  endpointsConfig: Record<string, Api.EndpointSettings> = {},
): EndpointPlan[] {
  if (mode.kind !== 'network') return [];
  // The docker CLI keys the NetworkMode's settings by what the user typed, `default` included.
  const settings = new Map(Object.entries(endpointsConfig).map(([k, v]) => [defaultAsBridge(k), v]));
  const refs = [mode.ref, ...[...settings.keys()].filter((k) => k !== mode.ref)];
  const seen = new Set<string>();
  const plans: EndpointPlan[] = [];
  for (const ref of refs) {
    const n = registry.get(ref);
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (n.spec.driver !== 'bridge') {
      throw invalidArgument(`container cannot be connected to network ${n.name} together with others`);
    }
    plans.push({
      networkId: n.id,
      config: endpointConfig(n, containerName, settings.get(ref) ?? settings.get(n.name)),
    });
  }
  return plans;
}

export function endpointConfig(
  n: { name: string; spec: { isDefault?: boolean; subnet?: string } },
  containerName: string,
  settings: Api.EndpointSettings | undefined,
): EndpointConfig {
  const aliases = settings?.Aliases ?? [];
  const ipv4 = settings?.IPAMConfig?.IPv4Address || undefined;
  if (n.spec.isDefault && aliases.length) {
    throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
  }
  if (n.spec.isDefault && ipv4)
    throw invalidArgument('user specified IP address is supported on user defined networks only');
  const ip = ipv4 === undefined ? undefined : parseIpv4(ipv4);
  if (ipv4 !== undefined && (ip === undefined || !n.spec.subnet || !prefixContains(parsePrefix(n.spec.subnet), ip))) {
    throw invalidArgument(`Invalid address ${ipv4}: It does not belong to any of this network's subnets`);
  }
  const mac = settings?.MacAddress || undefined;
  if (mac !== undefined && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) {
    throw invalidArgument(`invalid MAC address: ${mac}`);
  }
  return { containerName, aliases, ...(ipv4 ? { ipv4 } : {}), ...(mac ? { mac: mac.toLowerCase() } : {}) };
}
