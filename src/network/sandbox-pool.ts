import { randomBytes } from 'node:crypto';
import { errorMessage, type Logger } from '../kernel/index.js';
import type { NetworkRegistry } from './registry.js';
import type { Sandboxes } from './sandbox.js';
import type { Network, PooledSandbox } from './types.js';

/**
 * How long after a start the next sandbox is made: its CNI ADD (two Go
 * plugin processes, ~40–80 ms of CPU here) must not compete with the start
 * that just took one (`runc create`, ~100 ms) nor, for a short-lived
 * container, with its exit.
 */
const FILL_DELAY_MS = 250;

/**
 * Sandboxes kept ready per network. Two, so that back-to-back starts (a
 * script's loop of `docker run --rm`, ~230 ms apart here) still find one
 * while the pool makes the next.
 */
const DEPTH = 2;

/** What the pool needs of the network service. */
export interface PoolHost {
  readonly registry: NetworkRegistry;
  readonly sandboxes: Sandboxes;
  prepare(n: Network): Promise<void>;
}

/**
 * Network sandboxes attached ahead of need: each a namespace with its veth
 * and address, made by the same CNI ADD a start would run, under an ID of
 * its own. The next start on the network that needs nothing particular of
 * its attachment (one network; no published ports, fixed address or MAC)
 * takes one instead of running the plugins itself, and the pool makes the
 * next a moment later. The plugins' process start-ups are most of what a
 * network costs a start on this machine kind.
 *
 * A network gets sandboxes once a container has started on it and keeps
 * them (each an idle veth, address and namespace) until they are drained:
 * before a fixed address is attached (a pooled sandbox may hold it), when
 * an ADD finds the range exhausted, at `network rm` and prune, and at
 * shutdown. A start never waits for a fill. Each sandbox is a row written
 * before its ADD, so the startup reconcile undoes whatever a crash left.
 */
export class SandboxPool {
  private readonly ready = new Map<string, PooledSandbox[]>();
  private readonly filling = new Map<string, Promise<void>>();
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly host: PoolHost,
    private readonly logger: Logger,
  ) {}

  /** One of the network's ready sandboxes, now the caller's; never waits for one being made. */
  take(networkId: string): PooledSandbox | undefined {
    return this.ready.get(networkId)?.shift();
  }

  /** After a start on the network: sandboxes are made for the next ones, one at a time, up to DEPTH. */
  refill(networkId: string): void {
    const have = this.ready.get(networkId)?.length ?? 0;
    if (this.closed || have >= DEPTH || this.filling.has(networkId) || this.scheduled.has(networkId)) return;
    const timer = setTimeout(() => {
      this.scheduled.delete(networkId);
      this.fill(networkId);
    }, FILL_DELAY_MS);
    timer.unref();
    this.scheduled.set(networkId, timer);
  }

  private fill(networkId: string): void {
    const n = this.host.registry.find(networkId);
    if (this.closed || !n) return;
    const sandboxId = `pool-${randomBytes(16).toString('hex')}`;
    const made = this.host
      .prepare(n)
      .then(() => this.host.sandboxes.attachAhead(n, sandboxId))
      .then(
        (p) => {
          this.ready.set(networkId, [...(this.ready.get(networkId) ?? []), p]);
          return true;
        },
        (e: unknown) => {
          // An exhausted range says so here each time; the start that needs the address reports it.
          this.logger.debug('attaching a sandbox ahead failed', { network: n.name, error: errorMessage(e) });
          return false;
        },
      )
      .then((ok) => {
        this.filling.delete(networkId);
        if (ok) this.refill(networkId);
      });
    this.filling.set(networkId, made);
  }

  /**
   * Undoes the network's pooled sandboxes, after a fill under way; cancels
   * a scheduled one. True when there was a sandbox to undo.
   */
  async drain(networkId: string): Promise<boolean> {
    for (;;) {
      clearTimeout(this.scheduled.get(networkId));
      this.scheduled.delete(networkId);
      const filling = this.filling.get(networkId);
      if (!filling) break;
      await filling;
    }
    const pooled = this.ready.get(networkId) ?? [];
    this.ready.delete(networkId);
    for (const p of pooled) await this.discard(p);
    return pooled.length > 0;
  }

  /** Every network's: before a prune. */
  async drainAll(): Promise<void> {
    const ids = new Set([...this.ready.keys(), ...this.filling.keys(), ...this.scheduled.keys()]);
    for (const id of ids) await this.drain(id);
  }

  /** Shutdown: nothing is made ahead any more, and what was is undone. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drainAll();
  }

  /** Startup: the sandboxes a previous daemon made ahead are undone; the pool refills as containers start. */
  async reconcile(): Promise<void> {
    for (const p of this.host.registry.pooled()) await this.discard(p);
  }

  private async discard(p: PooledSandbox): Promise<void> {
    const n = this.host.registry.find(p.networkId);
    if (n) await this.host.sandboxes.discard(n, p);
    else this.host.registry.removePooled(p.sandboxId);
  }
}
