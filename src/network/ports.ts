import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { BerthError, invalidArgument } from '../kernel/index.js';
import type { PortMapping } from './types.js';

/** Docker's wire shapes: `{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`. */
export type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null | undefined>;

export interface PublishRequest {
  bindings?: PortBindings | null;
  publishAll?: boolean;
  /** The merged config's ExposedPorts: `-P` publishes every one. */
  exposed?: Record<string, unknown> | null;
}

function parsePortKey(key: string): { port: number; protocol: 'tcp' | 'udp' } {
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(key);
  const port = m ? Number(m[1]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw invalidArgument(`invalid port specification: "${key}"`);
  if (m[2] === 'sctp') throw new BerthError('not-implemented', 'sctp ports are not supported by berth yet');
  return { port, protocol: m[2] === 'udp' ? 'udp' : 'tcp' };
}

/** A mapping asked for: host port 0 for berth to choose, or a range (`8000-8010`) to choose from. */
export interface PortRequest extends PortMapping {
  /** The range's last port; `hostPort` is its first. */
  hostPortEnd?: number;
}

/** `HostPort` as Docker takes it: empty, a port, or a range of ports to pick one from. */
function parseHostPort(text: string | undefined): { hostPort: number; hostPortEnd?: number } {
  if (!text) return { hostPort: 0 };
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const [first, last] = [Number(m?.[1]), Number(m?.[2] ?? m?.[1])];
  if (!m || !(first >= 0 && first <= last && last <= 65535)) throw invalidArgument(`invalid hostPort: ${text}`);
  return m[2] === undefined || first === last ? { hostPort: first } : { hostPort: first, hostPortEnd: last };
}

/** The mappings asked for, host port 0 where berth must choose one. Validates at create. */
export function requestedPorts(req: PublishRequest): PortRequest[] {
  const out: PortRequest[] = [];
  const bound = new Set<string>();
  for (const [key, list] of Object.entries(req.bindings ?? {})) {
    const { port, protocol } = parsePortKey(key);
    bound.add(`${port}/${protocol}`);
    for (const b of list?.length ? list : [{}]) {
      out.push({ hostIp: b.HostIp || '0.0.0.0', ...parseHostPort(b.HostPort), containerPort: port, protocol });
    }
  }
  if (req.publishAll) {
    for (const key of Object.keys(req.exposed ?? {})) {
      const { port, protocol } = parsePortKey(key);
      if (!bound.has(`${port}/${protocol}`))
        out.push({ hostIp: '0.0.0.0', hostPort: 0, containerPort: port, protocol });
    }
  }
  return out;
}

/** Resolves once `port` could be bound on `ip` right now (nothing else on the host holds it). */
function canBind(ip: string, port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, ip, () => s.close(() => resolve(true)));
      return;
    }
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: ip, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function ephemeralRange(): Promise<[number, number]> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const [lo = 32768, hi = 60999] = text.trim().split(/\s+/).map(Number);
  return [lo, hi];
}

function clash(a: PortMapping, b: PortMapping): boolean {
  const anyIp = a.hostIp === '0.0.0.0' || b.hostIp === '0.0.0.0' || a.hostIp === b.hostIp;
  return anyIp && a.hostPort === b.hostPort && a.protocol === b.protocol;
}

/**
 * Chooses host ports for `-p containerPort` and `-P` from the ephemeral
 * range and for `-p 8000-8010:80` from the range given, and checks every
 * fixed one: taken by another container here (the DNAT rules hold no
 * socket, so the kernel cannot tell) or by a process of the host. Errors use
 * Docker's wording.
 */
export async function allocatePorts(wanted: PortRequest[], inUse: PortMapping[]): Promise<PortMapping[]> {
  const taken = [...inUse];
  const out: PortMapping[] = [];
  const [lo, hi] = await ephemeralRange();
  for (const { hostPortEnd, ...p } of wanted) {
    let chosen: PortMapping = p;
    if (p.hostPort === 0) {
      chosen = await pickFree(p, taken, lo, hi, true);
    } else if (hostPortEnd !== undefined) {
      chosen = await pickFree(p, taken, p.hostPort, hostPortEnd, false);
    } else if (taken.some((t) => clash(t, p))) {
      throw new BerthError('conflict', `Bind for ${p.hostIp}:${p.hostPort} failed: port is already allocated`);
    } else if (!(await canBind(p.hostIp, p.hostPort, p.protocol))) {
      throw new BerthError(
        'conflict',
        `failed to bind port ${p.hostIp}:${p.hostPort}/${p.protocol}: address already in use`,
      );
    }
    taken.push(chosen);
    out.push(chosen);
  }
  return out;
}

/** A free host port in lo..hi: from a random place in the ephemeral range, from the first in a range asked for. */
async function pickFree(
  p: PortMapping,
  taken: PortMapping[],
  lo: number,
  hi: number,
  ephemeral: boolean,
): Promise<PortMapping> {
  const span = hi - lo + 1;
  const start = ephemeral ? Math.floor(Math.random() * span) : 0;
  for (let i = 0; i < Math.min(span, 200); i++) {
    const candidate = { ...p, hostPort: lo + ((start + i) % span) };
    if (taken.some((t) => clash(t, candidate))) continue;
    if (await canBind(p.hostIp, candidate.hostPort, p.protocol)) return candidate;
  }
  if (ephemeral) {
    throw new BerthError('unavailable', `no free host port for ${p.containerPort}/${p.protocol} in ${lo}-${hi}`);
  }
  throw new BerthError('conflict', `Bind for ${p.hostIp}:${lo}-${hi} failed: port is already allocated`);
}
