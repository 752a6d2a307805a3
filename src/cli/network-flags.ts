/**
 * The networking flags of `run`/`create` → the create body's fields, as the
 * docker CLI fills them: NetworkMode, PortBindings, ExposedPorts, the /etc
 * settings, and NetworkingConfig for aliases and a fixed address.
 */
import { invalidArgument } from '../kernel/index.js';
import type { Api } from '../spec/index.js';

export interface NetworkFlags {
  network?: string;
  networkAlias?: string[];
  ip?: string;
  macAddress?: string;
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

/** `80` or `80-82` → its first and last port. */
function portRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const [first, last] = [Number(m?.[1]), Number(m?.[2] ?? m?.[1])];
  if (!m || !(first <= last)) throw invalidArgument(`invalid ${what}: ${text}`);
  return [first, last];
}

/**
 * `-p [ip:][hostPort:]containerPort[/proto]` → port keys and bindings, as
 * the docker CLI sends them: a container range is one key per port, paired
 * with a host range of the same length; a host range for one container port
 * goes to the daemon, which picks a free port in it.
 */
export function parsePublish(spec: string): { key: string; binding: Api.PortBinding }[] {
  const parts = spec.split(':');
  if (parts.length > 3) throw invalidArgument(`invalid port format: ${spec}`);
  const [container = '', proto] = (parts.pop() ?? '').split('/');
  const hostPort = parts.pop() ?? '';
  const hostIp = parts.pop() ?? '';
  const [first, last] = portRange(container, 'containerPort');
  const host = hostPort === '' ? undefined : portRange(hostPort, 'hostPort');
  const count = last - first + 1;
  if (host && count > 1 && host[1] - host[0] + 1 !== count) {
    throw invalidArgument(`invalid ranges specified for container and host Ports: ${spec}`);
  }
  return Array.from({ length: count }, (_, i) => ({
    key: portKey(`${first + i}${proto === undefined ? '' : `/${proto}`}`),
    binding: {
      HostIp: hostIp,
      HostPort: host === undefined ? '' : count > 1 ? String(host[0] + i) : hostPort,
    },
  }));
}

export function networkSettings(f: NetworkFlags): NetworkSettings {
  const exposed: Record<string, Record<string, unknown>> = {};
  const bindings: Api.PortMap = {};
  for (const spec of f.publish ?? []) {
    for (const { key, binding } of parsePublish(spec)) {
      exposed[key] = {};
      bindings[key] = [...(bindings[key] ?? []), binding];
    }
  }
  for (const port of f.expose ?? []) exposed[portKey(port.includes('/') ? port : `${port}/tcp`)] = {};
  const mode = f.network ?? 'default';
  const endpoint: Api.EndpointSettings = {
    ...(f.networkAlias?.length ? { Aliases: f.networkAlias } : {}),
    ...(f.ip ? { IPAMConfig: { IPv4Address: f.ip } } : {}),
    ...(f.macAddress ? { MacAddress: f.macAddress } : {}),
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
