/**
 * Engine-side memory per idle running container: the growth of the engine's
 * Pss (engine-memory.ts) across starting N `busybox sleep 1000` containers,
 * divided by N. The containers' own processes are not counted, only what
 * the engine keeps per container (berth: a conmon, berthd's bookkeeping;
 * dockerd: a containerd-shim, dockerd's and containerd's bookkeeping).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchCase, BenchContext } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox, removeContainers } from '../busybox.js';
import { docker } from '../docker-cli.js';
import type { Engine, EngineName } from '../engines.js';
import { engineMemory, type EngineMemory } from '../engine-memory.js';

const CONTAINERS = 20;
/** Lets the engine finish work a start leaves behind (event fan-out, GC) before the second reading. */
const SETTLE_MS = 2000;
const HELPERS_GONE_TIMEOUT_MS = 20_000;

export function createMemoryCase(): BenchCase {
  const running = new Map<EngineName, string[]>();

  return {
    name: 'memory',
    description: `engine Pss growth per idle container: ${CONTAINERS} × run -d busybox sleep 1000 (berthd+conmon vs dockerd+containerd+shims)`,
    unit: 'MiB',
    target: { ratio: 0.3, better: 'lower', berthAtMost: 2 },
    needsNetworking: false,

    async setup(ctx) {
      await prepareBusybox(ctx);
    },

    async run(ctx, engine) {
      const before = await engineMemory(engine);
      const ids: string[] = [];
      running.set(engine.name, ids);
      for (let i = 0; i < CONTAINERS; i++) {
        const args = ['run', '-d', '--network', 'none', BUSYBOX_IMAGE, 'sleep', '1000'];
        const { stdout } = await docker(engine, args, { signal: ctx.signal });
        ids.push(stdout.trim());
      }
      await sleep(SETTLE_MS, undefined, { signal: ctx.signal });
      const after = await engineMemory(engine);
      checkOneMonitorEach(engine, before, after);
      logBreakdown(ctx, engine, before, after);
      await removeContainers(ctx, engine, ids);
      running.delete(engine.name);
      await waitHelpers(ctx, engine, before);
      return (after.pssMiB - before.pssMiB) / CONTAINERS;
    },

    async teardown(ctx) {
      for (const engine of ctx.engines) await removeContainers(ctx, engine, running.get(engine.name) ?? []);
      running.clear();
    },
  };
}

/** The per-container monitor of each engine, whose count must grow by exactly N. */
const MONITOR: Record<EngineName, string> = { berth: 'conmon', dockerd: 'containerd-shim' };

function checkOneMonitorEach(engine: Engine, before: EngineMemory, after: EngineMemory): void {
  const monitor = MONITOR[engine.name];
  const grew = (after.helpers[monitor] ?? 0) - (before.helpers[monitor] ?? 0);
  if (grew !== CONTAINERS) {
    throw new Error(`memory: ${engine.name} gained ${grew} ${monitor} processes for ${CONTAINERS} containers`);
  }
}

/** The daemon's and the helpers' shares of the growth: the daemon's moves with its GC, the helpers' barely. */
function logBreakdown(ctx: BenchContext, engine: Engine, before: EngineMemory, after: EngineMemory): void {
  const daemon = after.daemonMiB - before.daemonMiB;
  const helpers = after.pssMiB - after.daemonMiB - (before.pssMiB - before.daemonMiB);
  const mib = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(2)} MiB`;
  ctx.log(
    `memory  ${engine.name.padEnd(7)}  daemon ${mib(daemon)}, helpers ${mib(helpers)} for ${CONTAINERS} containers`,
  );
}

/** Waits until the removed containers' monitors have exited, so the next baseline does not count them. */
async function waitHelpers(ctx: BenchContext, engine: Engine, baseline: EngineMemory): Promise<void> {
  const monitor = MONITOR[engine.name];
  const deadline = Date.now() + HELPERS_GONE_TIMEOUT_MS;
  for (;;) {
    const left = (await engineMemory(engine)).helpers[monitor] ?? 0;
    if (left <= (baseline.helpers[monitor] ?? 0)) return;
    if (Date.now() > deadline) throw new Error(`memory: ${engine.name} still has ${left} ${monitor} after removal`);
    await sleep(100, undefined, { signal: ctx.signal });
  }
}
