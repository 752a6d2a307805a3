/**
 * `docker ps -a` with 300 created (never started) containers: listing cost
 * per container, which is what `ps` pays on a busy host. The containers are
 * made through the API, 8 at a time, so setup stays short; each run checks
 * the listing has all 300.
 */
import type { BenchCase, BenchContext } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox, removeContainers } from '../busybox.js';
import { docker } from '../docker-cli.js';
import { engineApiOk, mapConcurrent } from '../engine-api.js';
import type { Engine, EngineName } from '../engines.js';

const CONTAINERS = 300;
const CREATE_CONCURRENCY = 8;

export function createPsCase(): BenchCase {
  const created = new Map<EngineName, string[]>();

  return {
    name: 'ps',
    description: `docker ps -a with ${CONTAINERS} created containers (busybox true, --network none)`,
    unit: 'ms',
    target: { ratio: 0.5, better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      await prepareBusybox(ctx);
      for (const engine of ctx.engines) {
        ctx.log(`ps: creating ${CONTAINERS} containers on ${engine.name}`);
        const ids: string[] = [];
        // Registered before creating, so teardown removes a partial set too.
        created.set(engine.name, ids);
        await createContainers(ctx, engine, ids);
      }
    },

    async run(ctx, engine) {
      const { ms, stdout } = await docker(engine, ['ps', '-a'], { signal: ctx.signal });
      // A header line, then one line per container.
      const rows = stdout.trimEnd().split('\n').length - 1;
      if (rows !== CONTAINERS) throw new Error(`ps: ${engine.name} listed ${rows} containers, want ${CONTAINERS}`);
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
