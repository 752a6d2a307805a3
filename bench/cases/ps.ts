/**
 * `docker ps -a` with 300 created (never started) containers: listing cost
 * per container, which is what `ps` pays on a busy host. The containers are
 * made through the API, 8 at a time, so setup stays short; each run checks
 * the listing has all 300.
 *
 * `ps-api` times the engine's own share, `GET /containers/json?all=1`: the
 * CLI's start-up and table rendering (~90 ms here) are the same for both
 * engines and bound the `ps` ratio from below.
 */
import type { BenchCase, BenchContext } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox, removeContainers } from '../busybox.js';
import { docker } from '../docker-cli.js';
import { engineApiOk, mapConcurrent } from '../engine-api.js';
import type { Engine, EngineName } from '../engines.js';

const CONTAINERS = 300;
const CREATE_CONCURRENCY = 8;

export function createPsCase(): BenchCase {
  return listingCase('ps', 'docker ps -a', async (engine, signal) => {
    const { ms, stdout } = await docker(engine, ['ps', '-a'], { signal });
    // A header line, then one line per container.
    return { ms, rows: stdout.trimEnd().split('\n').length - 1 };
  });
}

export function createPsApiCase(): BenchCase {
  return listingCase('ps-api', 'GET /containers/json?all=1 (the engine side of ps)', async (engine, signal) => {
    const start = process.hrtime.bigint();
    const body = await engineApiOk(engine, 'GET', '/containers/json?all=1', undefined, signal);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { ms, rows: (JSON.parse(body) as unknown[]).length };
  });
}

type ListOnce = (engine: Engine, signal: AbortSignal) => Promise<{ ms: number; rows: number }>;

function listingCase(name: string, what: string, list: ListOnce): BenchCase {
  const created = new Map<EngineName, string[]>();

  return {
    name,
    description: `${what} with ${CONTAINERS} created containers (busybox true, --network none)`,
    unit: 'ms',
    target: { ratio: 0.5, better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      await prepareBusybox(ctx);
      for (const engine of ctx.engines) {
        ctx.log(`${name}: creating ${CONTAINERS} containers on ${engine.name}`);
        const ids: string[] = [];
        // Registered before creating, so teardown removes a partial set too.
        created.set(engine.name, ids);
        await createContainers(ctx, engine, ids);
      }
    },

    async run(ctx, engine) {
      const { ms, rows } = await list(engine, ctx.signal);
      if (rows !== CONTAINERS) throw new Error(`${name}: ${engine.name} listed ${rows} containers, want ${CONTAINERS}`);
      return ms;
    },

    async teardown(ctx) {
      for (const engine of ctx.engines) {
        await removeContainers(ctx, engine, created.get(engine.name) ?? []);
        created.delete(engine.name);
      }
    },
  };
}

/** What `docker create --network none busybox true` sends. */
async function createContainers(ctx: BenchContext, engine: Engine, ids: string[]): Promise<void> {
  const config = { Image: BUSYBOX_IMAGE, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } };
  await mapConcurrent(Array.from({ length: CONTAINERS }), CREATE_CONCURRENCY, async () => {
    const body = await engineApiOk(engine, 'POST', '/containers/create', config, ctx.signal);
    const { Id } = JSON.parse(body) as { Id?: unknown };
    if (typeof Id !== 'string') throw new Error(`ps: ${engine.name} create answered without an Id: ${body}`);
    ids.push(Id);
  });
}
