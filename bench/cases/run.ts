/**
 * `docker run --rm --network none busybox true`: the whole short-lived
 * container path (create, start, attach, wait, remove) as the CLI drives it.
 * `--network none` on both engines because dockerd runs without a bridge;
 * berth accepts the mode and gives every container an empty network namespace.
 */
import type { BenchCase } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox } from '../busybox.js';
import { docker } from '../docker-cli.js';

export function createRunCase(): BenchCase {
  return {
    name: 'run',
    description: 'docker run --rm --network none busybox true (busybox imported from the same rootfs tar)',
    unit: 'ms',
    target: { ratio: 0.25, better: 'lower' },
    defaultRuns: 20,
    needsNetworking: false,

    async setup(ctx) {
      await prepareBusybox(ctx);
    },

    async run(ctx, engine) {
      const args = ['run', '--rm', '--network', 'none', BUSYBOX_IMAGE, 'true'];
      const { ms, stdout, stderr } = await docker(engine, args, { signal: ctx.signal });
      // `true` prints nothing: any output is an engine complaining.
      if (stdout !== '' || stderr !== '') {
        throw new Error(`run: ${engine.name} printed output: ${JSON.stringify((stdout + stderr).slice(0, 200))}`);
      }
      return ms;
    },

    // --rm removes each container; nothing else is made.
    async teardown() {},
  };
}
