/**
 * `docker push` of the 300 MB, 5-layer random image (loaded from the same
 * fixture as `load`) to an empty local registry: each run gets a registry
 * of its own, started and stopped outside the measurement. What each
 * engine uploads is its own choice (dockerd gzips the layers; berth sends
 * the blobs it stores); the pushed image is checked by config digest.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { startRegistry } from '../../test/support/registry.js';
import type { BenchCase } from '../case.js';
import { docker } from '../docker-cli.js';
import type { RandomImage } from '../fixtures/random-image.js';
import { benchImage, removeImageCold } from './pull.js';

const execFileAsync = promisify(execFile);

/** Reads the pushed config back with skopeo: its digest must be the fixture's image ID. */
async function checkPushed(ref: string, image: RandomImage, signal: AbortSignal): Promise<void> {
  const args = ['inspect', '--tls-verify=false', '--raw', '--config', `docker://${ref}`];
  const { stdout } = await execFileAsync('/usr/bin/skopeo', args, { signal, encoding: 'buffer' });
  const digest = `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
  if (digest !== image.configDigest) throw new Error(`push: ${ref} has config ${digest}, want ${image.configDigest}`);
}

export function createPushCase(): BenchCase {
  let image: RandomImage | undefined;

  return {
    name: 'push',
    description: 'docker push of a 300 MB image, 5 layers of random data, to an empty local registry',
    unit: 'ms',
    target: { ratio: 0.7, better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      image = await benchImage(ctx);
      for (const engine of ctx.engines) {
        await removeImageCold(ctx, engine, image.repoTag);
        await docker(engine, ['load', '-q', '-i', image.archivePath], { signal: ctx.signal });
      }
    },

    async run(ctx, engine) {
      if (!image) throw new Error('push: run before setup');
      const registry = await startRegistry();
      try {
        const ref = `${registry.host}/bench/push:latest`;
        await docker(engine, ['tag', image.repoTag, ref], { signal: ctx.signal });
        const { ms, stdout } = await docker(engine, ['push', ref], { signal: ctx.signal });
        if (!/latest: digest: sha256:[a-f0-9]{64}/.test(stdout))
          throw new Error(`push: ${engine.name}: no digest line`);
        await checkPushed(ref, image, ctx.signal);
        await docker(engine, ['rmi', ref], { signal: ctx.signal });
        return ms;
      } finally {
        await registry.stop();
      }
    },

    async teardown(ctx) {
      if (!image) return;
      for (const engine of ctx.engines) await removeImageCold(ctx, engine, image.repoTag);
    },
  };
}
