/**
 * The `busybox` image the container cases run, imported into each engine
 * from the same rootfs tar (fixtures/busybox-rootfs.ts), and the removal of
 * the containers a case made.
 */
import type { BenchContext } from './case.js';
import { docker } from './docker-cli.js';
import { engineApi, mapConcurrent } from './engine-api.js';
import type { Engine } from './engines.js';
import { writeBusyboxRootfs } from './fixtures/busybox-rootfs.js';

export const BUSYBOX_IMAGE = 'busybox:latest';
const REMOVE_CONCURRENCY = 8;

/** Makes `busybox:latest` present on every engine of the run; a case calls it from setup. */
export async function prepareBusybox(ctx: BenchContext): Promise<void> {
  const tarPath = await writeBusyboxRootfs(ctx.cacheDir);
  for (const engine of ctx.engines) {
    const present = await docker(engine, ['image', 'inspect', BUSYBOX_IMAGE], {
      signal: ctx.signal,
      allowFailure: true,
    });
    if (present.code === 0) continue;
    ctx.log(`${engine.name}: docker import busybox rootfs`);
    await docker(engine, ['import', tarPath, BUSYBOX_IMAGE], { signal: ctx.signal });
  }
}

/** Force-removes containers by ID; one already gone is not an error. */
export async function removeContainers(ctx: BenchContext, engine: Engine, ids: readonly string[]): Promise<void> {
  const failures: string[] = [];
  await mapConcurrent(ids, REMOVE_CONCURRENCY, async (id) => {
    const res = await engineApi(engine, 'DELETE', `/containers/${id}?force=1`, undefined, ctx.signal);
    if (res.status !== 204 && res.status !== 404) failures.push(`${id.slice(0, 12)}: ${res.status} ${res.body.trim()}`);
  });
  if (failures.length > 0) {
    throw new Error(`${engine.name}: could not remove ${failures.length} containers; first: ${failures[0]}`);
  }
}
