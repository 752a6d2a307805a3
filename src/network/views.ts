import type { Api } from '../spec/index.js';
import type { Endpoint, Network, PortMapping } from './types.js';

/** Docker's driver name for `none` is `null`; berth stores it the same way. */
export function networkView(n: Network, endpoints: Endpoint[]): Api.Network & Api.NetworkInspect {
  const { spec } = n;
  const config: Api.IPAMConfig[] = spec.subnet
    ? [{ Subnet: spec.subnet, Gateway: spec.gateway, ...(spec.ipRange ? { IPRange: spec.ipRange } : {}) }]
    : [];
  const containers: Record<string, Api.EndpointResource> = {};
  for (const e of endpoints) {
    if (e.networkId !== n.id || !e.runtime) continue;
    containers[e.containerId] = {
      Name: e.config.containerName,
      EndpointID: e.runtime.endpointId,
      MacAddress: e.runtime.mac,
      IPv4Address: e.runtime.address,
      IPv6Address: '',
    };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: new Date(n.created).toISOString(),
    Scope: 'local',
    Driver: spec.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: config },
    Internal: spec.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: spec.options,
    Labels: spec.labels,
  };
}

function prefixLen(address: string): number {
  return Number(address.split('/')[1] ?? 0);
}

/** One entry of a container's `NetworkSettings.Networks`. */
export function endpointSettingsView(n: Network, e: Endpoint): Api.EndpointSettings {
  const r = e.runtime;
  return {
    IPAMConfig: e.config.ipv4 ? { IPv4Address: e.config.ipv4 } : null,
    Links: undefined,
    Aliases: e.config.aliases.length ? e.config.aliases : undefined,
    MacAddress: r?.mac ?? '',
    DriverOpts: null,
    NetworkID: n.id,
    EndpointID: r?.endpointId ?? '',
    Gateway: r?.gateway ?? '',
    IPAddress: r ? r.address.split('/')[0] : '',
    IPPrefixLen: r ? prefixLen(r.address) : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: n.spec.isDefault ? undefined : [e.config.containerName, ...e.config.aliases, e.containerId.slice(0, 12)],
  };
}

/** `NetworkSettings.Ports`: published ports with their bindings, exposed-only ones as null. */
export function portMapView(ports: PortMapping[], exposed: string[]): Api.PortMap {
  const map: Api.PortMap = {};
  for (const key of exposed) map[key.includes('/') ? key : `${key}/tcp`] = null;
  for (const p of ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    const list = map[key] ?? [];
    list.push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
    map[key] = list;
  }
  return map;
}

/** `ps`'s Ports: published ones with their host side, exposed-only ones without. */
export function portSummaryView(ports: PortMapping[], exposed: string[]): Api.PortSummary[] {
  const out: Api.PortSummary[] = ports.map((p) => ({
    IP: p.hostIp,
    PrivatePort: p.containerPort,
    PublicPort: p.hostPort,
    Type: p.protocol,
  }));
  for (const key of exposed) {
    const [port = '0', type = 'tcp'] = key.split('/');
    if (!ports.some((p) => p.containerPort === Number(port) && p.protocol === type)) {
      out.push({ PrivatePort: Number(port), Type: type as 'tcp' | 'udp' });
    }
  }
  return out;
}
