/**
 * `docker pull` of a 300 MB image with 5 layers of random data from a local
 * distribution registry (Debian `docker-registry`, plain HTTP on 127.0.0.1,
 * which both engines accept without configuration). The image goes into the
 * registry once, by skopeo from the same docker-archive fixture as `load`
 * (skopeo gzips the layers, as a registry image is). Every run starts cold:
 * the image and its layers are removed first; the pulled image ID and diff
 * IDs are checked against the fixture.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRegistry, type TestRegistry } from '../../test/support/registry.js';
import type { BenchCase, BenchContext } from '../case.js';
import { docker } from '../docker-cli.js';
import type { Engine } from '../engines.js';
import { writeRandomImage, type RandomImage } from '../fixtures/random-image.js';

const execFileAsync = promisify(execFile);
const MB = 1_000_000;
const SKOPEO = '/usr/bin/skopeo';

/** The fixture `load` uses too: 5 layers of 3 × 20 MB random files. */
export async function benchImage(ctx: BenchContext): Promise<RandomImage> {
  return writeRandomImage(ctx.cacheDir, {
    name: 'load-5x60MB',
    repoTag: 'bench/load:latest',
    layers: 5,
    filesPerLayer: 3,
    fileBytes: 20 * MB,
  });
}

/** Removes an image and whatever layers only it used, so the next pull or load starts cold. */
export async function removeImageCold(ctx: BenchContext, engine: Engine, ref: string): Promise<void> {
  await docker(engine, ['rmi', '-f', ref], { signal: ctx.signal, allowFailure: true });
  await docker(engine, ['image', 'prune', '-f'], { signal: ctx.signal, allowFailure: true });
  // Flush the previous run's writeback so it is not charged to this one.
  await execFileAsync('sync');
}

/** Fails when the engine's image is not the fixture (ID and diff IDs). */
async function checkImage(ctx: BenchContext, engine: Engine, ref: string, image: RandomImage): Promise<void> {
  const { stdout } = await docker(engine, ['image', 'inspect', '--format', '{{json .}}', ref], { signal: ctx.signal });
  const inspect = JSON.parse(stdout) as { Id?: unknown; RootFS?: { Layers?: unknown } };
  const got = JSON.stringify([inspect.Id, inspect.RootFS?.Layers]);
  const want = JSON.stringify([image.configDigest, image.diffIDs]);
  if (got !== want) throw new Error(`${engine.name}: ${ref} is a different image: got ${got}, want ${want}`);
}

export function createPullCase(): BenchCase {
  let registry: TestRegistry | undefined;
  let image: RandomImage | undefined;
  let ref = '';

  return {
    name: 'pull',
    description: 'docker pull of a 300 MB image, 5 layers of random data, from a local registry (cold each run)',
    unit: 'ms',
    target: { ratio: 0.5, better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      image = await benchImage(ctx);
      registry = await startRegistry();
      ref = `${registry.host}/bench/pull:latest`;
      ctx.log('pull: putting the 300 MB image into the registry (skopeo, gzip)');
      await execFileAsync(
        SKOPEO,
        ['copy', '-q', '--dest-tls-verify=false', `docker-archive:${image.archivePath}`, `docker://${ref}`],
        {
          signal: ctx.signal,
        },
      );
      for (const engine of ctx.engines) await removeImageCold(ctx, engine, ref);
    },

    async run(ctx, engine) {
      if (!image) throw new Error('pull: run before setup');
      await removeImageCold(ctx, engine, ref);
      const { ms } = await docker(engine, ['pull', '-q', ref], { signal: ctx.signal });
      await checkImage(ctx, engine, ref, image);
      return ms;
    },

    async teardown(ctx) {
      for (const engine of ctx.engines) await removeImageCold(ctx, engine, ref);
      await registry?.stop();
    },
  };
}
