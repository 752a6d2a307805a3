/**
 * The networking flags of `run`/`create` → the create body's fields, as the
 * docker CLI fills them: NetworkMode, PortBindings, ExposedPorts, the /etc
 * settings, and NetworkingConfig for aliases and a fixed address.
 */
import { BerthError, invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';

export interface NetworkFlags {
  network?: string;
  networkAlias?: string[];
  ip?: string;
  hostname?: string;
  addHost?: string[];
  dns?: string[];
  dnsSearch?: string[];
  dnsOption?: string[];
  publish?: string[];
  publishAll?: boolean;
  expose?: string[];
}

export interface NetworkSettings {
  config: Pick<Api.ContainerConfig, 'Hostname' | 'ExposedPorts'>;
  hostConfig: Api.HostConfig;
  networkingConfig?: Api.NetworkingConfig;
}

function portKey(port: string): string {
  const [num = '', proto = 'tcp'] = port.split('/');
  if (!/^\d+$/.test(num) || Number(num) < 1 || Number(num) > 65535)
    throw invalidArgument(`invalid containerPort: ${num}`);
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidArgument(`invalid proto: ${proto}`);
  return `${num}/${proto}`;
}

/** `-p [ip:][hostPort:]containerPort[/proto]` → its port key and binding. */
export function parsePublish(spec: string): { key: string; binding: Api.PortBinding } {
  const parts = spec.split(':');
  if (parts.length > 3) throw invalidArgument(`invalid port format: ${spec}`);
  const container = parts.pop() ?? '';
  const hostPort = parts.pop() ?? '';
  const hostIp = parts.pop() ?? '';
  if (container.includes('-') || hostPort.includes('-')) {
    throw new BerthError('not-implemented', `port ranges (${spec}) are not supported by berth yet`);
  }
  if (hostPort !== '' && !/^\d+$/.test(hostPort)) throw invalidArgument(`invalid hostPort: ${hostPort}`);
  return { key: portKey(container), binding: { HostIp: hostIp, HostPort: hostPort } };
}

export function networkSettings(f: NetworkFlags): NetworkSettings {
  const exposed: Record<string, Record<string, unknown>> = {};
  const bindings: Api.PortMap = {};
  for (const spec of f.publish ?? []) {
    const { key, binding } = parsePublish(spec);
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), binding];
  }
  for (const port of f.expose ?? []) exposed[portKey(port.includes('/') ? port : `${port}/tcp`)] = {};
  const mode = f.network ?? 'default';
  const endpoint: Api.EndpointSettings = {
    ...(f.networkAlias?.length ? { Aliases: f.networkAlias } : {}),
    ...(f.ip ? { IPAMConfig: { IPv4Address: f.ip } } : {}),
  };
  return {
    config: {
      ...(f.hostname !== undefined && { Hostname: f.hostname }),
      ...(Object.keys(exposed).length > 0 && { ExposedPorts: exposed }),
    },
    hostConfig: {
      NetworkMode: mode,
      ...(Object.keys(bindings).length > 0 && { PortBindings: bindings }),
      PublishAllPorts: f.publishAll === true,
      ...(f.addHost?.length && { ExtraHosts: f.addHost.map((h) => h.replace('=', ':')) }),
      ...(f.dns?.length && { Dns: f.dns }),
      ...(f.dnsSearch?.length && { DnsSearch: f.dnsSearch }),
      ...(f.dnsOption?.length && { DnsOptions: f.dnsOption }),
    },
    ...(Object.keys(endpoint).length > 0 && { networkingConfig: { EndpointsConfig: { [mode]: endpoint } } }),
  };
}
