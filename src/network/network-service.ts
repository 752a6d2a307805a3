import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/index.js';
import { BerthError, conflict, errorMessage, withHostLock, type Logger } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import type { Db } from '../state/index.js';
import { ContainerNetworking } from './container-networks.js';
import { PREDEFINED, planNetwork, type NetworkCreateRequest } from './create.js';
import { bridgeExists, deleteBridgeDevice, ensureBridgeDevice, orphanBridges } from './bridge-device.js';
import { DnsResponder, hostResolvers } from './dns-server.js';
import { ensureNetworkRules, removeNetworkRules, removeStaleRules } from './host-rules.js';
import { matchesNetworkFilters, type NetworkFilters } from './filters.js';
import { endpointConfig } from './modes.js';
import { newNetworkId, NetworkRegistry } from './registry.js';
import { SandboxPool } from './sandbox-pool.js';
import { Sandboxes } from './sandbox.js';
import { formatIpv4, formatPrefix, firstHost, pickFreePool } from './subnets.js';
import type { Network, NetworkSpec } from './types.js';
import { networkView } from './views.js';

/**
 * Held from choosing a free address pool until its bridge exists and claims
 * it with a route: two daemons starting at once would otherwise take the
 * same pool (the choice looks at the host's routes).
 */
const POOL_LOCK = 'address-pools';

export interface NetworkServiceOptions {
  db: Db;
  dataRoot: string;
  execRoot: string;
  events: EventBus;
  logger: Logger;
  /** The default network's bridge device; one per data root, so test daemons do not share one. */
  defaultBridge: string;
}

/**
 * Networks as Docker lists them (`bridge`, `host`, `none` and user-defined
 * bridges), their DNS responders, and the sandboxes containers run in.
 */
export class NetworkService {
  readonly registry: NetworkRegistry;
  readonly sandboxes: Sandboxes;
  /** Sandboxes attached ahead of the next starts on each network in use. */
  readonly pool: SandboxPool;
  /** The container side: endpoints, attachments, NetworkSettings. */
  readonly containers: ContainerNetworking;
  private readonly responders = new Map<string, DnsResponder>();
  /** Networks whose host rules this daemon has checked since it started. */
  private readonly ruled = new Set<string>();
  private upstreams: Promise<string[]> | undefined;

  constructor(private readonly options: NetworkServiceOptions) {
    this.registry = new NetworkRegistry(options.db);
    this.sandboxes = new Sandboxes(
      this.registry,
      { netnsDir: join(options.execRoot, 'netns'), ipamDir: join(options.dataRoot, 'networks', 'ipam') },
      options.logger,
    );
    this.pool = new SandboxPool(this, options.logger);
    this.containers = new ContainerNetworking(this, options.logger);
  }

  /** Docker's network connect/disconnect events. */
  emit(action: 'connect' | 'disconnect', n: Network, containerId: string): void {
    this.options.events.emit('network', action, n.id, { container: containerId, name: n.name, type: n.spec.driver });
  }

  /** Makes the predefined networks on first start; the default bridge takes the first free pool. */
  async ensurePredefined(): Promise<void> {
    await this.sweepOrphans();
    const have = new Set(this.registry.list().map((n) => n.name));
    const base = { internal: false, labels: {}, options: {} };
    if (!have.has('bridge')) {
      await withHostLock(POOL_LOCK, async () => {
        const pool = pickFreePool(await this.registry.takenPrefixes());
        const n = this.insert('bridge', {
          ...base,
          driver: 'bridge',
          bridge: this.options.defaultBridge,
          subnet: formatPrefix(pool),
          gateway: formatIpv4(firstHost(pool)),
          isDefault: true,
          options: { 'com.docker.network.bridge.name': this.options.defaultBridge },
        });
        await this.ensureBridge(n);
      });
    }
    if (!have.has('host')) this.insert('host', { ...base, driver: 'host' });
    if (!have.has('none')) this.insert('none', { ...base, driver: 'null' });
  }

  /** Bridges (and their rules) left by daemons whose data root is gone: they hold address pools. */
  private async sweepOrphans(): Promise<void> {
    const orphans = new Set(await orphanBridges());
    for (const bridge of orphans) await deleteBridgeDevice(bridge);
    // Rules of bridges that are gone (deleted above, or before a crash) go too.
    const rules = await removeStaleRules(async (bridge) => orphans.has(bridge) || !(await bridgeExists(bridge)));
    if (orphans.size || rules) this.options.logger.info('removed leftovers', { bridges: [...orphans], rules });
  }

  /** The bridge device with its gateway address: it claims the subnet on the host before any container runs. */
  private async ensureBridge(n: Network): Promise<void> {
    const { bridge, gateway, subnet } = n.spec;
    if (!bridge || !gateway || !subnet) return;
    await ensureBridgeDevice(bridge, gateway, subnet, this.options.dataRoot).catch((e: unknown) =>
      this.options.logger.warn('cannot make a bridge device', { network: n.name, error: errorMessage(e) }),
    );
  }

  private insert(name: string, spec: NetworkSpec): Network {
    const n = { id: newNetworkId(), name, created: Date.now(), spec };
    this.registry.insert(n);
    return n;
  }

  async create(req: NetworkCreateRequest): Promise<Api.NetworkCreateResponse> {
    const id = newNetworkId();
    const { spec } = await withHostLock(POOL_LOCK, async () => {
      const n = { id, name: req.Name, created: Date.now(), spec: await planNetwork(req, this.registry, id) };
      this.registry.insert(n);
      await this.ensureBridge(n);
      return n;
    });
    this.options.events.emit('network', 'create', id, { name: req.Name, type: spec.driver });
    return { Id: id, Warning: '' };
  }

  /** Endpoint rows as views show them (see ContainerNetworking.shown). */
  private endpoints() {
    return this.registry.endpoints().map((e) => this.containers.shown(e));
  }

  list(filters: NetworkFilters = {}): Api.Network[] {
    const endpoints = this.endpoints();
    return this.registry
      .list()
      .filter((n) => matchesNetworkFilters(n, filters, endpoints))
      .map((n) => ({ ...networkView(n, endpoints), Containers: {} }));
  }

  inspect(ref: string): Api.Network & Api.NetworkInspect {
    return networkView(this.registry.get(ref), this.endpoints());
  }

  /** Row first, then the bridge device, IPAM state and DNS responder. */
  async remove(ref: string): Promise<void> {
    // Containers that just stopped still hold their endpoints until released.
    await this.containers.settled();
    const n = this.registry.get(ref);
    if (PREDEFINED.includes(n.name)) {
      throw new BerthError('forbidden', `${n.name} is a pre-defined network and cannot be removed`);
    }
    await this.pool.drain(n.id);
    if (this.registry.endpoints().some((e) => e.networkId === n.id)) {
      throw conflict(`error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    }
    this.registry.delete(n.id);
    this.responders.get(n.id)?.close();
    this.responders.delete(n.id);
    await this.removeBridge(n);
    await rm(join(this.options.dataRoot, 'networks', 'ipam', n.id.slice(0, 12)), { recursive: true, force: true });
    this.options.events.emit('network', 'destroy', n.id, { name: n.name, type: n.spec.driver });
  }

  async prune(filters: NetworkFilters = {}): Promise<{ NetworksDeleted: string[] }> {
    await this.containers.settled();
    await this.pool.drainAll();
    const endpoints = this.registry.endpoints();
    const deleted: string[] = [];
    for (const n of this.registry.list()) {
      if (PREDEFINED.includes(n.name) || endpoints.some((e) => e.networkId === n.id)) continue;
      if (!matchesNetworkFilters(n, filters, endpoints)) continue;
      await this.remove(n.id);
      deleted.push(n.name);
    }
    return { NetworksDeleted: deleted };
  }

  /** Before the first attachment to a network: its host rules (forwarding, masquerade). */
  async prepare(n: Network): Promise<void> {
    if (n.spec.driver !== 'bridge' || this.ruled.has(n.id)) return;
    await this.ensureBridge(n);
    await ensureNetworkRules(n);
    this.ruled.add(n.id);
  }

  /** Starts the DNS responder of a user-defined network once its bridge has the gateway address. */
  async ensureDns(n: Network): Promise<void> {
    if (n.spec.isDefault || n.spec.driver !== 'bridge' || !n.spec.gateway || this.responders.has(n.id)) return;
    this.upstreams ??= hostResolvers();
    const responder = new DnsResponder((name) => this.resolve(n.id, name), await this.upstreams, this.options.logger);
    this.responders.set(n.id, responder);
    await responder.listen(n.spec.gateway).catch((e: unknown) => {
      this.responders.delete(n.id);
      this.options.logger.warn('dns: cannot listen on the gateway', { network: n.name, error: errorMessage(e) });
    });
  }

  /** A name or alias of a running container on the network, or its short ID. */
  private resolve(networkId: string, name: string): string[] {
    return this.endpoints()
      .filter((e) => e.networkId === networkId && e.runtime?.address)
      .filter(
        (e) =>
          e.config.containerName.toLowerCase() === name ||
          e.config.aliases.some((a) => a.toLowerCase() === name) ||
          e.containerId.slice(0, 12) === name,
      )
      .map((e) => e.runtime!.address.split('/')[0]!);
  }

  endpointConfigFor(n: Network, containerName: string, settings: Api.EndpointSettings | undefined) {
    return endpointConfig(n, containerName, settings);
  }

  /**
   * Live restore: DNS for the networks running containers are on, the
   * sandboxes made ahead are undone, and namespace files no running
   * container owns are removed.
   */
  async reconcile(running: ReadonlySet<string>): Promise<void> {
    await this.pool.reconcile();
    for (const e of this.registry.endpoints()) {
      if (!running.has(e.containerId) || !e.runtime) continue;
      const n = this.registry.get(e.networkId);
      await this.prepare(n);
      await this.sandboxes.check(n, e);
      await this.ensureDns(n);
    }
    const files = await readdir(this.sandboxes.netnsPath('')).catch(() => [] as string[]);
    for (const id of files) {
      if (!running.has(id)) await this.sandboxes.remove(id).catch(() => {});
    }
  }

  /** Stops the DNS responders and removes bridges nothing is attached to (the plugin remakes them). */
  async close(): Promise<void> {
    await this.containers.settled();
    await this.pool.close();
    for (const r of this.responders.values()) r.close();
    this.responders.clear();
    for (const n of this.registry.list()) {
      if (!n.spec.bridge) continue;
      const members = await readdir(`/sys/class/net/${n.spec.bridge}/brif`).catch(() => undefined);
      if (members?.length === 0) await this.removeBridge(n);
    }
  }

  /** The bridge device and the host rules that name it. */
  private async removeBridge(n: Network): Promise<void> {
    this.ruled.delete(n.id);
    await removeNetworkRules(n);
    if (n.spec.bridge) await deleteBridgeDevice(n.spec.bridge);
  }
}
