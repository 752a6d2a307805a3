/**
 * `docker load -i` of a 300 MB docker-archive with 5 layers of random data.
 * Each run starts with the image and its layers gone from the engine, so
 * every run stores all 300 MB; the loaded image is then checked against the
 * fixture (ID and diff IDs), so a fast but wrong load cannot pass.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchCase, BenchContext } from '../case.js';
import { docker } from '../docker-cli.js';
import type { Engine } from '../engines.js';
import { writeRandomImage, type RandomImage } from '../fixtures/random-image.js';

const execFileAsync = promisify(execFile);
const MB = 1_000_000;

export function createLoadCase(): BenchCase {
  let image: RandomImage | undefined;
  const pruneWarned = new Set<string>();

  return {
    name: 'load',
    description: 'docker load -i of a 300 MB docker-archive, 5 layers of random data (image removed before each run)',
    unit: 'ms',
    target: { ratio: 0.7, better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      ctx.log('load: writing the 300 MB fixture');
      image = await writeRandomImage(ctx.cacheDir, {
        name: 'load-5x60MB',
        repoTag: 'bench/load:latest',
        layers: 5,
        filesPerLayer: 3,
        fileBytes: 20 * MB,
      });
      for (const engine of ctx.engines) await removeImage(ctx, engine, image.repoTag, pruneWarned);
    },

    async run(ctx, engine) {
      if (image === undefined) throw new Error('load: run before setup');
      await removeImage(ctx, engine, image.repoTag, pruneWarned);
      // Flush the previous run's writeback so it is not charged to this one.
      await execFileAsync('sync');
      const { ms } = await docker(engine, ['load', '-i', image.archivePath], { signal: ctx.signal });
      await checkLoaded(ctx, engine, image);
      return ms;
    },

    async teardown(ctx) {
      if (image === undefined) return;
      for (const engine of ctx.engines) await removeImage(ctx, engine, image.repoTag, pruneWarned);
    },
  };
}

/**
 * Removes the image and its layers. `rmi -f` of the only tag deletes the
 * layers in dockerd; `image prune -f` also drops anything left dangling. An
 * engine without prune is warned about once: its layers may survive a run.
 */
async function removeImage(ctx: BenchContext, engine: Engine, ref: string, pruneWarned: Set<string>): Promise<void> {
  const rmi = await docker(engine, ['rmi', '-f', ref], { signal: ctx.signal, allowFailure: true });
  if (rmi.code !== 0 && !/no such image/i.test(rmi.stderr)) {
    throw new Error(`${engine.name}: docker rmi -f ${ref} failed: ${rmi.stderr.trim()}`);
  }
  const prune = await docker(engine, ['image', 'prune', '-f'], { signal: ctx.signal, allowFailure: true });
  if (prune.code !== 0 && !pruneWarned.has(engine.name)) {
    pruneWarned.add(engine.name);
    ctx.log(
      `load: warning: ${engine.name} image prune failed (${prune.stderr.trim()}); layers may survive between runs`,
    );
  }
}

async function checkLoaded(ctx: BenchContext, engine: Engine, image: RandomImage): Promise<void> {
  const { stdout } = await docker(engine, ['image', 'inspect', '--format', '{{json .}}', image.repoTag], {
    signal: ctx.signal,
  });
  const inspect = JSON.parse(stdout) as { Id?: unknown; RootFS?: { Layers?: unknown } };
  const got = JSON.stringify([inspect.Id, inspect.RootFS?.Layers]);
  const want = JSON.stringify([image.configDigest, image.diffIDs]);
  if (got !== want) throw new Error(`load: ${engine.name} loaded a different image: got ${got}, want ${want}`);
}
