/**
 * The healthcheck loop of each running container that has one: a probe
 * every `Interval` (counted from the end of the previous one, as Docker
 * does), its result recorded in the container's state and a
 * `health_status: …` event on every change. Timers are unref'd and the
 * loop ends when the container stops or is removed.
 */
import { join } from 'node:path';
import type { EventBus } from '../events/index.js';
import { errorMessage, type Logger } from '../kernel/index.js';
import { applyProbeResult, healthProbeOf, startingHealth, type HealthProbe } from './health.js';
import { runHealthProbe } from './health-probe.js';
import type { ContainerPaths } from './paths.js';
import type { ContainerStore } from './store.js';
import type { Container } from './types.js';

export interface HealthMonitorDeps {
  store: ContainerStore;
  paths: ContainerPaths;
  events: EventBus;
  logger: Logger;
}

interface Running {
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

export class HealthMonitor {
  private readonly loops = new Map<string, Running>();

  constructor(private readonly deps: HealthMonitorDeps) {}

  /** Starts checking a container that just started; its health begins as `starting`. No healthcheck, no loop. */
  start(c: Container): void {
    const probe = healthProbeOf(c.spec.config.Healthcheck);
    if (probe === undefined) return;
    this.stop(c.id);
    c.state = { ...c.state, health: startingHealth(c.state.health) };
    this.deps.store.saveState(c);
    const loop: Running = { stopped: false };
    this.loops.set(c.id, loop);
    this.schedule(c.id, probe, loop);
  }

  /** Ends a container's loop; a probe under way is let finish and its result dropped. */
  stop(id: string): void {
    const loop = this.loops.get(id);
    if (loop === undefined) return;
    loop.stopped = true;
    clearTimeout(loop.timer);
    this.loops.delete(id);
  }

  private schedule(id: string, probe: HealthProbe, loop: Running): void {
    loop.timer = setTimeout(() => {
      this.check(id, probe, loop)
        .catch((e: unknown) => this.deps.logger.warn('healthcheck failed', { id, error: errorMessage(e) }))
        .finally(() => {
          if (!loop.stopped) this.schedule(id, probe, loop);
        });
    }, probe.intervalMs);
    loop.timer.unref();
  }

  private async check(id: string, probe: HealthProbe, loop: Running): Promise<void> {
    const c = this.deps.store.find(id);
    if (c === undefined) return this.stop(id);
    // A paused container cannot run a probe; Docker skips it too.
    if (c.state.status !== 'running') return;
    const dir = this.deps.paths.dir(id);
    const result = await runHealthProbe(probe, {
      container: c,
      dir,
      runcRoot: this.deps.paths.runcRoot,
      workDir: join(dir, 'health-probe'),
    });
    if (loop.stopped) return;
    // Re-read: the state may have changed while the probe ran.
    const current = this.deps.store.find(id);
    if (current === undefined || current.state.status !== 'running') return;
    const before = current.state.health ?? startingHealth(undefined);
    const after = applyProbeResult(before, result, {
      retries: probe.retries,
      inStartPeriod: Date.now() - Date.parse(current.state.startedAt) < probe.startPeriodMs,
    });
    current.state = { ...current.state, health: after };
    this.deps.store.saveState(current);
    if (after.status !== before.status) {
      this.deps.events.emit('container', `health_status: ${after.status}`, id, {
        name: current.name,
        image: current.spec.image,
      });
    }
  }
}
