import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { conflict, notFound } from '../kernel/index.js';
import {
  deleteEndpoint,
  deleteEndpointsOf,
  deleteNetwork,
  deletePooledSandbox,
  listEndpoints,
  listEndpointsOf,
  listNetworks,
  listPooledSandboxes,
  putEndpoint,
  putNetwork,
  putPooledSandbox,
  setEndpointConfig,
  setEndpointRuntime,
  type Db,
  type EndpointRow,
} from '../state/index.js';
import { parsePrefix, type Ipv4Prefix } from './subnets.js';
import type { Endpoint, EndpointConfig, EndpointRuntime, Network, NetworkSpec, PooledSandbox } from './types.js';

function parseEndpoint(r: EndpointRow): Endpoint {
  return {
    containerId: r.containerId,
    networkId: r.networkId,
    config: JSON.parse(r.config) as EndpointConfig,
    ...(r.runtime ? { runtime: JSON.parse(r.runtime) as EndpointRuntime } : {}),
  };
}

export function newNetworkId(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Networks and endpoints as rows: lookups by name, ID or ID prefix (Docker's
 * order), and the JSON of each row parsed in one place.
 */
export class NetworkRegistry {
  constructor(private readonly db: Db) {}

  list(): Network[] {
    return listNetworks(this.db).map((r) => ({ ...r, spec: JSON.parse(r.spec) as NetworkSpec }));
  }

  find(ref: string): Network | undefined {
    const all = this.list();
    const exact = all.find((n) => n.id === ref) ?? all.find((n) => n.name === ref);
    if (exact) return exact;
    const byPrefix = all.filter((n) => ref.length > 0 && n.id.startsWith(ref));
    if (byPrefix.length > 1)
      throw conflict(`network ${ref} is ambiguous (${byPrefix.length} matches found based on ID prefix)`);
    return byPrefix[0];
  }

  get(ref: string): Network {
    const n = this.find(ref);
    if (!n) throw notFound(`network ${ref} not found`);
    return n;
  }

  insert(n: Network): void {
    putNetwork(this.db, { id: n.id, name: n.name, created: n.created, spec: JSON.stringify(n.spec) });
  }

  delete(id: string): void {
    deleteNetwork(this.db, id);
  }

  endpoints(): Endpoint[] {
    return listEndpoints(this.db).map(parseEndpoint);
  }

  endpointsOf(containerId: string): Endpoint[] {
    return listEndpointsOf(this.db, containerId).map(parseEndpoint);
  }

  addEndpoint(e: Endpoint): void {
    putEndpoint(this.db, {
      containerId: e.containerId,
      networkId: e.networkId,
      config: JSON.stringify(e.config),
      runtime: e.runtime ? JSON.stringify(e.runtime) : null,
    });
  }

  setRuntime(e: Endpoint, runtime: EndpointRuntime | undefined): void {
    setEndpointRuntime(this.db, e.containerId, e.networkId, runtime ? JSON.stringify(runtime) : null);
  }

  setConfig(e: Endpoint, config: EndpointConfig): void {
    setEndpointConfig(this.db, e.containerId, e.networkId, JSON.stringify(config));
  }

  removeEndpoint(containerId: string, networkId: string): void {
    deleteEndpoint(this.db, containerId, networkId);
  }

  removeEndpointsOf(containerId: string): void {
    deleteEndpointsOf(this.db, containerId);
  }

  /** Sandboxes attached ahead of need (sandbox-pool.ts), as a crash left them or as they are being made. */
  pooled(): PooledSandbox[] {
    return listPooledSandboxes(this.db).map((r) => ({
      sandboxId: r.sandboxId,
      networkId: r.networkId,
      runtime: JSON.parse(r.runtime) as EndpointRuntime,
    }));
  }

  putPooled(p: PooledSandbox): void {
    putPooledSandbox(this.db, { sandboxId: p.sandboxId, networkId: p.networkId, runtime: JSON.stringify(p.runtime) });
  }

  removePooled(sandboxId: string): void {
    deletePooledSandbox(this.db, sandboxId);
  }

  /** A pooled sandbox becomes the endpoint's attachment: both rows change together, or neither. */
  adoptPooled(e: Endpoint, p: PooledSandbox, runtime: EndpointRuntime): void {
    this.db.transaction(() => {
      this.setRuntime(e, runtime);
      this.removePooled(p.sandboxId);
    });
  }

  /** Every subnet in use: this daemon's networks and the host's own routes (another engine's bridge, a VPN). */
  async takenPrefixes(): Promise<Ipv4Prefix[]> {
    const ours = this.list().flatMap((n) => (n.spec.subnet ? [parsePrefix(n.spec.subnet)] : []));
    return [...ours, ...(await hostRoutes())];
  }
}

/** IPv4 routes of the host from /proc/net/route (little-endian hex), the default route left out. */
async function hostRoutes(): Promise<Ipv4Prefix[]> {
  const text = await readFile('/proc/net/route', 'utf8').catch(() => '');
  const out: Ipv4Prefix[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [, dest, , , , , , maskHex] = line.trim().split(/\s+/);
    if (!dest || !maskHex) continue;
    const swap = (h: string) => Buffer.from(h, 'hex').readUInt32LE(0);
    const mask = swap(maskHex);
    const bits = mask.toString(2).replace(/0/g, '').length;
    if (bits > 0) out.push({ base: swap(dest), bits });
  }
  return out;
}
