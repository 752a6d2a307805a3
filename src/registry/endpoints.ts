import { BlockList, isIP } from 'node:net';
import { invalidArgument } from '../kernel/index.js';

/** Where one registry is reached: a base URL and how TLS is checked there. */
export interface Endpoint {
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000` */
  readonly url: string;
  /** False only on the HTTPS endpoint of a registry configured insecure, as Docker skips verification there. */
  readonly verifyTls: boolean;
  /** A `registry-mirrors` entry, tried before Docker Hub itself. */
  readonly mirror: boolean;
}

/** Docker Hub's API host: `docker.io` is a name, not a server. */
const DOCKER_HUB_API = 'https://registry-1.docker.io';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export interface EndpointPolicy {
  readonly insecureRegistries: readonly string[];
  readonly mirrors: readonly string[];
}

/**
 * The endpoints to try, in order, for a registry domain (`docker.io`,
 * `127.0.0.1:5000`). HTTPS always comes first; plain HTTP follows only for
 * loopback hosts and registries configured insecure, as Docker does.
 */
export function registryEndpoints(domain: string, policy: EndpointPolicy): Endpoint[] {
  if (domain === '') throw invalidArgument('invalid reference format: the name has no registry domain to pull from');
  if (DOCKER_HUB_NAMES.has(domain)) {
    const mirrors = policy.mirrors.map((m) => ({ url: m.replace(/\/+$/, ''), verifyTls: true, mirror: true }));
    return [...mirrors, { url: DOCKER_HUB_API, verifyTls: true, mirror: false }];
  }
  const configured = isConfiguredInsecure(domain, policy.insecureRegistries);
  const out: Endpoint[] = [{ url: `https://${domain}`, verifyTls: !configured, mirror: false }];
  if (configured || isLoopback(hostname(domain)))
    out.push({ url: `http://${domain}`, verifyTls: false, mirror: false });
  return out;
}

/** The host part of `host[:port]`, without IPv6 brackets. */
function hostname(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon === -1 ? domain : domain.slice(0, colon);
}

/** 127.0.0.0/8, ::1 and `localhost`: the machine itself, where plain HTTP cannot be intercepted. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * An `insecure-registries` entry matches `host:port` exactly (a scheme in the
 * entry is ignored) or, when it is a CIDR, any IP literal inside it. Unlike
 * Docker, host names are not resolved to match a CIDR.
 */
export function isConfiguredInsecure(domain: string, entries: readonly string[]): boolean {
  const host = hostname(domain);
  for (const raw of entries) {
    const entry = raw.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
    if (entry === domain) return true;
    const slash = entry.indexOf('/');
    if (slash !== -1 && isIP(host) && inCidr(host, entry.slice(0, slash), Number(entry.slice(slash + 1)))) return true;
  }
  return false;
}

function inCidr(ip: string, network: string, prefix: number): boolean {
  const family = isIP(network);
  if (family === 0 || family !== isIP(ip) || !Number.isInteger(prefix)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, type);
  } catch {
    return false;
  }
  return list.check(ip, type);
}

/**
 * The registry domain a `docker login` server address names:
 * `https://index.docker.io/v1/` → `docker.io`, `https://host:5000/` → `host:5000`.
 */
export function loginDomain(serverAddress: string): string {
  const withoutScheme = serverAddress.replace(/^[a-z]+:\/\//i, '');
  const domain = withoutScheme.split('/')[0] ?? '';
  if (domain === '') throw invalidArgument(`invalid registry address "${serverAddress}"`);
  return DOCKER_HUB_NAMES.has(domain) ? 'docker.io' : domain;
}
