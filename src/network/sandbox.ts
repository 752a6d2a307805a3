import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BerthError, errorMessage, type Logger } from '../kernel/index.js';
import { addNetworkList, checkNetworkList, delNetworkList, type CniAttachment, type CniResult } from './cni.js';
import { bridgeConfigList } from './conflist.js';
import { bindNetns, createNetns, removeNetns } from './netns.js';
import { allocatePorts, type PortRequest } from './ports.js';
import type { NetworkRegistry } from './registry.js';
import type { Endpoint, EndpointConfig, EndpointRuntime, Network, PooledSandbox, PortMapping } from './types.js';

export interface SandboxPaths {
  /** `<execRoot>/netns`: one bind-mounted namespace file per container. */
  netnsDir: string;
  /** host-local's state: `<dataRoot>/networks/ipam`. */
  ipamDir: string;
}

/** The primary interface's address of a CNI result, with its MAC. */
function primaryAddress(result: CniResult, ifname: string): { address: string; gateway: string; mac: string } {
  const ip = result.ips?.find((i) => i.interface === undefined || result.interfaces?.[i.interface]?.name === ifname);
  if (!ip) throw new BerthError('internal', 'the CNI bridge plugin returned no address');
  const iface = ip.interface !== undefined ? result.interfaces?.[ip.interface] : undefined;
  return { address: ip.address, gateway: ip.gateway ?? '', mac: iface?.mac ?? '' };
}

/**
 * Network namespaces and their CNI attachments. Each endpoint's runtime row
 * is written before its ADD (so a crash mid-way leaves something to DEL) and
 * cleared after its DEL; the namespace file goes last.
 */
export class Sandboxes {
  constructor(
    private readonly registry: NetworkRegistry,
    private readonly paths: SandboxPaths,
    private readonly logger: Logger,
  ) {}

  netnsPath(containerId: string): string {
    return join(this.paths.netnsDir, containerId);
  }

  async create(containerId: string): Promise<string> {
    const path = this.netnsPath(containerId);
    await createNetns(path);
    return path;
  }

  /** Ports in use by running containers, so two cannot publish the same one. */
  portsInUse(): PortMapping[] {
    return this.registry.endpoints().flatMap((e) => e.runtime?.ports ?? []);
  }

  /** The endpoint's CNI chain: the same for its ADD, CHECK and DEL. */
  private configList(n: Network, config: EndpointConfig, ports: PortMapping[]) {
    return bridgeConfigList(n, this.paths.ipamDir, { ports, ipv4: config.ipv4, mac: config.mac });
  }

  async publish(wanted: PortRequest[]): Promise<PortMapping[]> {
    return allocatePorts(wanted, this.portsInUse());
  }

  /**
   * CNI ADD of one endpoint. `record` keeps its runtime before the ADD (so a
   * crash mid-way leaves something to DEL) and after it.
   */
  private async add(
    n: Network,
    config: EndpointConfig,
    at: CniAttachment,
    ports: PortMapping[],
    record: (r: EndpointRuntime) => void,
  ): Promise<EndpointRuntime> {
    const pending: EndpointRuntime = {
      endpointId: randomBytes(32).toString('hex'),
      netns: at.netns,
      ifname: at.ifname,
      address: '',
      gateway: '',
      mac: '',
      ports,
      result: { cniVersion: '1.0.0' },
    };
    record(pending);
    const result = await addNetworkList(this.configList(n, config, ports), at).catch((err: unknown) => {
      throw friendlyAddError(err, config);
    });
    const runtime = { ...pending, ...primaryAddress(result, at.ifname), result };
    record(runtime);
    return runtime;
  }

  async attach(n: Network, e: Endpoint, ifname: string, ports: PortMapping[]): Promise<EndpointRuntime> {
    const at = { containerId: e.containerId, netns: this.netnsPath(e.containerId), ifname };
    return this.add(n, e.config, at, ports, (r) => this.registry.setRuntime(e, r));
  }

  /**
   * A sandbox of its own, attached to `n` ahead of need and kept as a pool
   * row (sandbox-pool.ts). On failure whatever was made is undone.
   */
  async attachAhead(n: Network, sandboxId: string): Promise<PooledSandbox> {
    const netns = await this.create(sandboxId);
    let made: PooledSandbox | undefined;
    const record = (runtime: EndpointRuntime) => {
      made = { sandboxId, networkId: n.id, runtime };
      this.registry.putPooled(made);
    };
    try {
      const runtime = await this.add(n, UNNAMED, { containerId: sandboxId, netns, ifname: 'eth0' }, [], record);
      return { sandboxId, networkId: n.id, runtime };
    } catch (e) {
      if (made) await this.discard(n, made);
      else await this.remove(sandboxId).catch(() => {});
      throw e;
    }
  }

  /**
   * Hands a pooled sandbox to a container: its namespace gets the
   * container's path and the endpoint its runtime (the CNI ID stays the
   * sandbox's). The pool's own path goes last, so a crash leaves either
   * owner with something to tear down.
   */
  async adopt(p: PooledSandbox, e: Endpoint): Promise<EndpointRuntime> {
    const netns = this.netnsPath(e.containerId);
    await bindNetns(p.runtime.netns, netns);
    const runtime: EndpointRuntime = { ...p.runtime, sandboxId: p.sandboxId, netns };
    this.registry.adoptPooled(e, p, runtime);
    await this.remove(p.sandboxId).catch((err: unknown) =>
      this.logger.warn('removing a pooled namespace path failed', { id: p.sandboxId, error: errorMessage(err) }),
    );
    return runtime;
  }

  /** Undoes a pooled sandbox: its DEL, its namespace, its row. */
  async discard(n: Network, p: PooledSandbox): Promise<void> {
    await this.detach(n, { containerId: p.sandboxId, networkId: n.id, config: UNNAMED, runtime: p.runtime });
    await this.remove(p.sandboxId).catch((err: unknown) =>
      this.logger.warn('removing a pooled namespace failed', { id: p.sandboxId, error: errorMessage(err) }),
    );
    this.registry.removePooled(p.sandboxId);
  }

  /** DEL of one endpoint; a failure is logged, the runtime cleared anyway so nothing waits on it forever. */
  async detach(n: Network, e: Endpoint): Promise<void> {
    const r = e.runtime;
    if (!r) return;
    const list = this.configList(n, e.config, r.ports);
    const prev = r.address ? r.result : undefined;
    await delNetworkList(list, attachmentOf(e, r), prev).catch((err: unknown) =>
      this.logger.warn('CNI DEL failed', { container: e.containerId, error: errorMessage(err) }),
    );
    this.registry.setRuntime(e, undefined);
  }

  /**
   * CHECK of a live-restored endpoint: each plugin verifies its part (the
   * interface and address, the port rules) is still there. A failure is
   * logged, not repaired: the container keeps running as it is.
   */
  async check(n: Network, e: Endpoint): Promise<void> {
    const r = e.runtime;
    if (!r?.address) return;
    const list = this.configList(n, e.config, r.ports);
    await checkNetworkList(list, attachmentOf(e, r), r.result).catch((err: unknown) =>
      this.logger.warn('CNI CHECK failed', { container: e.containerId, error: errorMessage(err) }),
    );
  }

  async remove(containerId: string): Promise<void> {
    await removeNetns(this.netnsPath(containerId));
  }
}

/** A pooled sandbox's endpoint: no container names it yet. */
const UNNAMED: EndpointConfig = { containerName: '', aliases: [] };

/** What DEL and CHECK name: the ID and namespace the ADD used, which a pooled sandbox's adoption keeps apart. */
function attachmentOf(e: Endpoint, r: EndpointRuntime): CniAttachment {
  return { containerId: r.sandboxId ?? e.containerId, netns: r.netns, ifname: r.ifname };
}

function friendlyAddError(err: unknown, config: EndpointConfig): unknown {
  const msg = errorMessage(err);
  if (config.ipv4 && /not available|already reserved|already allocated/i.test(msg)) {
    return new BerthError('conflict', `Address already in use: ${config.ipv4}`, { cause: err });
  }
  return err;
}
