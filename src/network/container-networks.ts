import { BerthError, conflict, errorMessage, invalidArgument, isBerthError, type Logger } from '../kernel/index.js';
import type { Api } from '../spec/index.js';
import { parseNetworkMode, planEndpoints, type EndpointPlan } from './modes.js';
import type { NetworkRegistry } from './registry.js';
import type { SandboxPool } from './sandbox-pool.js';
import type { Sandboxes } from './sandbox.js';
import { requestedPorts, type PortRequest } from './ports.js';
import type { Endpoint, EndpointConfig, EndpointRuntime, Network, PooledSandbox, PortMapping } from './types.js';
import { endpointSettingsView, portMapView, portSummaryView } from './views.js';

/** The parts of the network service the container side uses (NetworkService implements it). */
export interface NetworkHost {
  readonly registry: NetworkRegistry;
  readonly sandboxes: Sandboxes;
  readonly pool: SandboxPool;
  prepare(n: Network): Promise<void>;
  ensureDns(n: Network): Promise<void>;
  emit(action: 'connect' | 'disconnect', n: Network, containerId: string): void;
  endpointConfigFor(n: Network, containerName: string, settings: Api.EndpointSettings | undefined): EndpointConfig;
  reconcile(running: ReadonlySet<string>): Promise<void>;
}

/** What networking needs to know of a container; the container module fills it in. */
export interface ContainerNetworkRequest {
  id: string;
  name: string;
  hostConfig: Pick<Api.HostConfig, 'NetworkMode' | 'PortBindings' | 'PublishAllPorts'>;
  exposedPorts?: Record<string, unknown> | null;
}

/** The namespace to hand the runtime; the same shape as the runtime's NetworkNamespace. */
export type SandboxNamespace = { kind: 'new' } | { kind: 'path'; path: string } | { kind: 'host' };

/** What a container's attachments give its /etc files. */
export interface AttachedNetwork {
  /** The primary endpoint's address (no prefix length), when it has one. */
  address?: string;
  gateway?: string;
  /** Set on user-defined networks: the DNS responder's address for resolv.conf. */
  dnsServer?: string;
}

/** A starting container's network: the namespace for the runtime spec at once, the attachments later. */
export interface ContainerNetwork {
  namespace: SandboxNamespace;
  /**
   * Settles once every endpoint is attached (CNI ADD). The runtime can create
   * the container in the namespace meanwhile; its process must not run
   * before. Absent when there is nothing to attach. On failure the
   * attachments made are already undone.
   */
  attached?: Promise<AttachedNetwork>;
}

/**
 * How long after a container's exit its CNI DELs start (see `release`):
 * long enough for a `--rm` removal and the client's wait to finish first
 * (exit to removed went from ~33 to ~15 ms here).
 */
const RELEASE_DELAY_MS = 80;

/** A container's release: settles when done; `now` starts it before its delay is up. */
interface Release {
  done: Promise<void>;
  now(): void;
}

/**
 * The container side of networking: endpoints recorded at create, CNI
 * attachments at start and detachments at exit, connect/disconnect, and
 * NetworkSettings for inspect and ps.
 */
export class ContainerNetworking {
  /** One start at a time chooses ports and attaches, so two cannot take the same host port. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Teardowns due or running after their container stopped, by container ID (see `release`). */
  private readonly releasing = new Map<string, Release>();
  /** Removed containers whose endpoint rows go once their release is done. */
  private readonly forgotten = new Set<string>();

  constructor(
    private readonly service: NetworkHost,
    private readonly logger: Logger,
  ) {}

  private get registry() {
    return this.service.registry;
  }

  /** Validates a create request's networking; throws before anything is recorded. */
  plan(name: string, hostConfig: Api.HostConfig, networking?: Api.NetworkingConfig): EndpointPlan[] {
    const mode = parseNetworkMode(hostConfig.NetworkMode);
    requestedPorts({ bindings: hostConfig.PortBindings, publishAll: false });
    try {
      return planEndpoints(this.registry, name, mode, networking?.EndpointsConfig ?? {});
    } catch (e) {
      // Not 404: the docker CLI takes a 404 from create for a missing image and tries a pull.
      if (isBerthError(e, 'not-found')) throw invalidArgument(e.message);
      throw e;
    }
  }

  record(containerId: string, plans: EndpointPlan[]): void {
    for (const p of plans) this.registry.addEndpoint({ containerId, networkId: p.networkId, config: p.config });
  }

  async setUp(req: ContainerNetworkRequest): Promise<ContainerNetwork> {
    const mode = parseNetworkMode(req.hostConfig.NetworkMode);
    if (mode.kind === 'host') return { namespace: { kind: 'host' } };
    if (mode.kind === 'container')
      throw invalidArgument('container network modes are resolved by the container module');
    // A restart reuses the namespace path and the endpoint rows: the last exit's release must be done.
    await this.released(req.id);
    const endpoints = this.registry.endpointsOf(req.id);
    if (mode.kind === 'none' || endpoints.length === 0) return { namespace: { kind: 'new' } };
    const wanted = requestedPorts({
      bindings: req.hostConfig.PortBindings,
      publishAll: req.hostConfig.PublishAllPorts === true,
      exposed: req.exposedPorts,
    });
    const plain = plainEndpoint(endpoints, wanted);
    const pooled = plain && this.service.pool.take(plain.networkId);
    const adopted = plain && pooled ? await this.adopt(plain, pooled) : undefined;
    if (adopted) return adopted;
    // The namespace needs no turn in the queue; the runtime can use it while the ADDs run.
    const path = await this.service.sandboxes.create(req.id).catch(async (e: unknown) => {
      await this.tearDown(req.id);
      throw e;
    });
    const run = this.queue.then(() => this.attachAll(endpoints, wanted, plain));
    this.queue = run.catch(() => {});
    const attached = run.catch(async (e: unknown) => {
      await this.tearDown(req.id);
      throw e;
    });
    return { namespace: { kind: 'path', path }, attached };
  }

  /**
   * A start takes the sandbox its network's pool made ahead (SandboxPool);
   * the pool makes the next. A sandbox that cannot be taken is undone and
   * the start attaches as it would without one (undefined).
   */
  private async adopt(e: Endpoint, pooled: PooledSandbox): Promise<ContainerNetwork | undefined> {
    const n = this.registry.get(e.networkId);
    const runtime = await this.service.sandboxes.adopt(pooled, e).catch(async (err: unknown) => {
      this.logger.warn('a sandbox made ahead could not be taken', { id: pooled.sandboxId, error: errorMessage(err) });
      await this.service.sandboxes.discard(n, pooled);
      return undefined;
    });
    this.service.pool.refill(n.id);
    if (!runtime) return undefined;
    const attached = this.service.ensureDns(n).then(() => attachedTo(n, runtime));
    return { namespace: { kind: 'path', path: runtime.netns }, attached };
  }

  /** Every endpoint's ADD in turn; a `plain` start (one a pooled sandbox could serve) has the pool refilled. */
  private async attachAll(
    endpoints: Endpoint[],
    wanted: PortRequest[],
    plain: Endpoint | undefined,
  ): Promise<AttachedNetwork> {
    // Host ports and fixed addresses may still be held by a container that just stopped.
    if (wanted.length > 0 || endpoints.some((e) => e.config.ipv4)) await this.settled();
    const ports = await this.service.sandboxes.publish(wanted);
    let primary: AttachedNetwork = {};
    for (const [i, e] of endpoints.entries()) {
      const n = this.registry.get(e.networkId);
      const r = await this.attach(n, e, `eth${i}`, i === 0 ? ports : []);
      if (i === 0) primary = attachedTo(n, r);
    }
    if (plain) this.service.pool.refill(plain.networkId);
    return primary;
  }

  /**
   * One endpoint's ADD. The network's pooled sandbox may hold the address
   * it needs: it goes before a fixed address is attached, and when the
   * range is exhausted (then the ADD runs again).
   */
  private async attach(n: Network, e: Endpoint, ifname: string, ports: PortMapping[]): Promise<EndpointRuntime> {
    await this.service.prepare(n);
    if (e.config.ipv4) await this.service.pool.drain(n.id);
    const r = await this.service.sandboxes.attach(n, e, ifname, ports).catch(async (err: unknown) => {
      if (!(await this.service.pool.drain(n.id))) throw err;
      const half = this.registry.endpointsOf(e.containerId).find((x) => x.networkId === n.id);
      if (half) await this.service.sandboxes.detach(n, half);
      return this.service.sandboxes.attach(n, e, ifname, ports);
    });
    await this.service.ensureDns(n);
    return r;
  }

  /** Undoes every attachment and removes the namespace; safe to call twice or after a crash. */
  async tearDown(containerId: string): Promise<void> {
    for (const e of this.registry.endpointsOf(containerId)) {
      const n = this.registry.find(e.networkId);
      if (n) await this.service.sandboxes.detach(n, e);
    }
    await this.service.sandboxes.remove(containerId).catch((e: unknown) => {
      this.logger.warn('removing a network namespace failed', { id: containerId, error: errorMessage(e) });
    });
  }

  /**
   * At a container's exit: its CNI DELs (two plugin start-ups, ~60 ms here)
   * and its namespace go in the background, so `wait`, `die` and a `--rm`
   * removal do not wait for them. What needs what they free waits instead:
   * a new start of the container, a start that publishes ports or asks for
   * a fixed address, connect and disconnect, network removal, the startup
   * reconcile and shutdown. Meanwhile the container shows as detached (no
   * address, no ports, no DNS answers). A crash halfway is finished by the
   * next reconcile: the endpoint rows keep their runtime until each DEL is done.
   *
   * The DELs start RELEASE_DELAY_MS after the exit, so their processes do
   * not compete with the exit's own work (a `--rm` removal, the client's
   * wait); whatever waits for the release starts it at once.
   */
  release(containerId: string): void {
    if (this.releasing.has(containerId)) return;
    let now = () => {};
    const due = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RELEASE_DELAY_MS);
      now = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const done = due
      .then(() => this.tearDown(containerId))
      .catch((e: unknown) => this.logger.warn('network clean-up failed', { id: containerId, error: errorMessage(e) }))
      .finally(() => {
        this.releasing.delete(containerId);
        if (this.forgotten.delete(containerId)) this.registry.removeEndpointsOf(containerId);
      });
    this.releasing.set(containerId, { done, now });
  }

  /** Settles once every release due or under way is done. */
  async settled(): Promise<void> {
    await Promise.all([...this.releasing.keys()].map((id) => this.released(id)));
  }

  /** Settles once the container's release (if one is due or under way) is done. */
  async released(containerId: string): Promise<void> {
    const r = this.releasing.get(containerId);
    if (!r) return;
    r.now();
    await r.done;
  }

  /** `docker rename`: the new name resolves on user-defined networks from now on. */
  rename(containerId: string, name: string): void {
    for (const e of this.registry.endpointsOf(containerId))
      this.registry.setConfig(e, { ...e.config, containerName: name });
  }

  /** At `rm`: the endpoint rows go, once the container's release (if one is under way) is done. */
  forget(containerId: string): void {
    if (this.releasing.has(containerId)) this.forgotten.add(containerId);
    else this.registry.removeEndpointsOf(containerId);
  }

  /** The netns file of a running container with its own sandbox, for `--network container:`. */
  sandboxOf(containerId: string): string | undefined {
    const e = this.registry.endpointsOf(containerId).find((x) => x.runtime);
    return e?.runtime?.netns;
  }

  /**
   * Startup: the attachments of containers that are not running are undone
   * (an exit while berthd was down, or a release a crash cut short), the rows
   * of containers that no longer exist go, then NetworkService.reconcile.
   */
  async reconcile(running: ReadonlySet<string>, known: ReadonlySet<string>): Promise<void> {
    await this.settled();
    const stale = this.registry.endpoints().filter((e) => e.runtime && !running.has(e.containerId));
    for (const id of new Set(stale.map((e) => e.containerId))) await this.tearDown(id);
    const gone = this.registry.endpoints().filter((e) => !known.has(e.containerId));
    for (const id of new Set(gone.map((e) => e.containerId))) this.registry.removeEndpointsOf(id);
    await this.service.reconcile(running);
  }

  /** `docker network connect`: recorded, and attached at once when the container runs. */
  async connect(
    c: { id: string; name: string; running: boolean; hostConfig: Api.HostConfig },
    ref: string,
    settings: Api.EndpointSettings | undefined,
  ): Promise<void> {
    await this.settled();
    const n = this.registry.get(ref);
    const mode = parseNetworkMode(c.hostConfig.NetworkMode);
    if (mode.kind !== 'network' || n.spec.driver !== 'bridge') {
      throw new BerthError(
        'forbidden',
        `container cannot be disconnected from host network or connected to host network`,
      );
    }
    const mine = this.registry.endpointsOf(c.id);
    if (mine.some((e) => e.networkId === n.id)) {
      throw new BerthError('forbidden', `endpoint with name ${c.name} already exists in network ${n.name}`);
    }
    const e: Endpoint = {
      containerId: c.id,
      networkId: n.id,
      config: this.service.endpointConfigFor(n, c.name, settings),
    };
    this.registry.addEndpoint(e);
    if (c.running) {
      const used = new Set(mine.map((x) => x.runtime?.ifname));
      let i = 0;
      while (used.has(`eth${i}`)) i++;
      try {
        await this.attach(n, e, `eth${i}`, []);
      } catch (err) {
        await this.service.sandboxes.detach(n, this.registry.endpointsOf(c.id).find((x) => x.networkId === n.id) ?? e);
        this.registry.removeEndpoint(c.id, n.id);
        throw err;
      }
    }
    this.service.emit('connect', n, c.id);
  }

  async disconnect(c: { id: string }, ref: string): Promise<void> {
    await this.settled();
    const n = this.registry.get(ref);
    const e = this.registry.endpointsOf(c.id).find((x) => x.networkId === n.id);
    if (!e) throw conflict(`container ${c.id} is not connected to network ${n.name}`);
    await this.service.sandboxes.detach(n, e);
    this.registry.removeEndpoint(c.id, n.id);
    this.service.emit('disconnect', n, c.id);
  }

  /**
   * The networks each container is attached to (or will be at its start),
   * by container ID, from one read of the rows: for `ps --filter network=`.
   */
  memberships(): Map<string, { id: string; name: string }[]> {
    const byId = this.networksById();
    const out = new Map<string, { id: string; name: string }[]>();
    for (const [containerId, endpoints] of this.endpointsByContainer()) {
      out.set(
        containerId,
        endpoints.flatMap((e) => {
          const n = byId.get(e.networkId);
          return n ? [{ id: n.id, name: n.name }] : [];
        }),
      );
    }
    return out;
  }

  /** `NetworkSettings` of `GET /containers/{id}/json`. */
  settings(containerId: string, exposed: string[]): Record<string, unknown> {
    const { networks, ports, running, primary } = this.attachments(
      this.registry.endpointsOf(containerId).map((e) => this.shown(e)),
      this.networksById(),
    );
    return {
      Bridge: '',
      SandboxID: running ? containerId : '',
      SandboxKey: running ? this.service.sandboxes.netnsPath(containerId) : '',
      HairpinMode: false,
      Ports: running ? portMapView(ports, exposed) : {},
      EndpointID: primary?.EndpointID ?? '',
      Gateway: primary?.Gateway ?? '',
      IPAddress: primary?.IPAddress ?? '',
      IPPrefixLen: primary?.IPPrefixLen ?? 0,
      MacAddress: primary?.MacAddress ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPv6Gateway: '',
      Networks: networks,
    };
  }

  /** `ps`'s Ports and NetworkSettings.Networks for each container, with every row read once. */
  summaries(
    containers: readonly { id: string; exposed: string[] }[],
  ): { ports: Api.PortSummary[]; networks: Record<string, Api.EndpointSettings> }[] {
    const byId = this.networksById();
    const endpoints = this.endpointsByContainer();
    return containers.map(({ id, exposed }) => {
      const { networks, ports, running } = this.attachments(endpoints.get(id) ?? [], byId);
      return { ports: running ? portSummaryView(ports, exposed) : [], networks };
    });
  }

  /** An endpoint as views show it: one being released is already detached. */
  shown(e: Endpoint): Endpoint {
    return e.runtime && this.releasing.has(e.containerId) ? { ...e, runtime: undefined } : e;
  }

  private endpointsByContainer(): Map<string, Endpoint[]> {
    const out = new Map<string, Endpoint[]>();
    for (const e of this.registry.endpoints().map((x) => this.shown(x))) {
      const mine = out.get(e.containerId);
      if (mine) mine.push(e);
      else out.set(e.containerId, [e]);
    }
    return out;
  }

  private networksById(): Map<string, Network> {
    return new Map(this.registry.list().map((n) => [n.id, n]));
  }

  /**
   * A container's endpoints as Docker shows them, keyed by network name;
   * `primary` is the default bridge's (the top-level address fields of inspect).
   */
  private attachments(
    endpoints: readonly Endpoint[],
    byId: ReadonlyMap<string, Network>,
  ): {
    networks: Record<string, Api.EndpointSettings>;
    ports: PortMapping[];
    running: boolean;
    primary?: Api.EndpointSettings;
  } {
    const networks: Record<string, Api.EndpointSettings> = {};
    let primary: Api.EndpointSettings | undefined;
    for (const e of endpoints) {
      const n = byId.get(e.networkId);
      if (!n) continue;
      networks[n.name] = endpointSettingsView(n, e);
      if (n.spec.isDefault) primary ??= networks[n.name];
    }
    return {
      networks,
      ports: endpoints.flatMap((e) => e.runtime?.ports ?? []),
      running: endpoints.some((e) => e.runtime),
      ...(primary ? { primary } : {}),
    };
  }
}

/**
 * The endpoint of a start that a pooled sandbox can serve: one network,
 * nothing the CNI ADD would be asked for (published ports, a fixed address
 * or MAC). Aliases and names are berth's DNS, not the attachment's.
 */
function plainEndpoint(endpoints: readonly Endpoint[], wanted: readonly PortRequest[]): Endpoint | undefined {
  const [e] = endpoints;
  if (!e || endpoints.length > 1 || wanted.length > 0 || e.config.ipv4 || e.config.mac) return undefined;
  return e;
}

/** What a primary attachment gives the container's /etc files. */
function attachedTo(n: Network, r: EndpointRuntime): AttachedNetwork {
  return {
    address: r.address.split('/')[0],
    gateway: r.gateway,
    ...(n.spec.isDefault ? {} : { dnsServer: n.spec.gateway }),
  };
}
