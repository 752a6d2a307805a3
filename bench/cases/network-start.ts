/**
 * `docker run --rm busybox true` on the default bridge: the run case's whole
 * short-lived container path plus what networking adds (namespace, veth,
 * address, and their removal). Set beside the `run` case (`--network none`)
 * of the same invocation, the difference is the cost of networking. dockerd
 * must run with its bridge and iptables for this case, so it is marked
 * needsNetworking (dockerd then rewrites the host's FORWARD policy).
 */
import type { BenchCase } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox } from '../busybox.js';
import { docker } from '../docker-cli.js';

export function createNetworkStartCase(): BenchCase {
  return {
    name: 'network-start',
    description: 'docker run --rm busybox true on the default bridge (compare with the run case, --network none)',
    unit: 'ms',
    target: { ratio: 0.3, better: 'lower' },
    defaultRuns: 20,
    needsNetworking: true,

    async setup(ctx) {
      await prepareBusybox(ctx);
    },

    async run(ctx, engine) {
      // `ip -4 route` inside proves the container got an address and a default route on the bridge.
      const args = ['run', '--rm', BUSYBOX_IMAGE, 'ip', '-4', 'route'];
      const { ms, stdout, stderr } = await docker(engine, args, { signal: ctx.signal });
      if (!/^default via /m.test(stdout) || stderr !== '') {
        throw new Error(
          `network-start: ${engine.name} gave no bridge route: ${JSON.stringify((stdout + stderr).slice(0, 200))}`,
        );
      }
      return ms;
    },

    async teardown() {},
  };
}
