import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BerthError, errorMessage, type Logger } from '../kernel/index.js';
import { addNetworkList, checkNetworkList, delNetworkList, type CniResult } from './cni.js';
import { bridgeConfigList } from './conflist.js';
import { createNetns, removeNetns } from './netns.js';
import { allocatePorts, type PortRequest } from './ports.js';
import type { NetworkRegistry } from './registry.js';
import type { Endpoint, EndpointRuntime, Network, PortMapping } from './types.js';

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
  private configList(n: Network, e: Endpoint, ports: PortMapping[]) {
    return bridgeConfigList(n, this.paths.ipamDir, { ports, ipv4: e.config.ipv4, mac: e.config.mac });
  }

  async publish(wanted: PortRequest[]): Promise<PortMapping[]> {
    return allocatePorts(wanted, this.portsInUse());
  }

  async attach(n: Network, e: Endpoint, ifname: string, ports: PortMapping[]): Promise<EndpointRuntime> {
    const netns = this.netnsPath(e.containerId);
    const pending: EndpointRuntime = {
      endpointId: randomBytes(32).toString('hex'),
      netns,
      ifname,
      address: '',
      gateway: '',
      mac: '',
      ports,
      result: { cniVersion: '1.0.0' },
    };
    this.registry.setRuntime(e, pending);
    const list = this.configList(n, e, ports);
    const result = await addNetworkList(list, { containerId: e.containerId, netns, ifname }).catch((err: unknown) => {
      throw friendlyAddError(err, e);
    });
    const runtime = { ...pending, ...primaryAddress(result, ifname), result };
    this.registry.setRuntime(e, runtime);
    return runtime;
  }

  /** DEL of one endpoint; a failure is logged, the runtime cleared anyway so nothing waits on it forever. */
  async detach(n: Network, e: Endpoint): Promise<void> {
    const r = e.runtime;
    if (!r) return;
    const list = this.configList(n, e, r.ports);
    const prev = r.address ? r.result : undefined;
    await delNetworkList(list, { containerId: e.containerId, netns: r.netns, ifname: r.ifname }, prev).catch(
      (err: unknown) => this.logger.warn('CNI DEL failed', { container: e.containerId, error: errorMessage(err) }),
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
    const list = this.configList(n, e, r.ports);
    await checkNetworkList(list, { containerId: e.containerId, netns: r.netns, ifname: r.ifname }, r.result).catch(
      (err: unknown) => this.logger.warn('CNI CHECK failed', { container: e.containerId, error: errorMessage(err) }),
    );
  }

  async remove(containerId: string): Promise<void> {
    await removeNetns(this.netnsPath(containerId));
  }
}

function friendlyAddError(err: unknown, e: Endpoint): unknown {
  const msg = errorMessage(err);
  if (e.config.ipv4 && /not available|already reserved|already allocated/i.test(msg)) {
    return new BerthError('conflict', `Address already in use: ${e.config.ipv4}`, { cause: err });
  }
  return err;
}
