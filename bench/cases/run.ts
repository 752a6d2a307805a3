/**
 * `docker run --rm --network none busybox true`: the whole short-lived
 * container path (create, start, attach, wait, remove) as the CLI drives it.
 * `--network none` on both engines because dockerd runs without a bridge;
 * berth accepts the mode and gives every container an empty network namespace.
 *
 * `run-api` times the engine's own share of it, the calls the CLI makes
 * (create, wait for removal, start) without the CLI's start-up (~50 ms
 * here) and its own work between calls, which both engines pay alike.
 */
import type { BenchCase } from '../case.js';
import { BUSYBOX_IMAGE, prepareBusybox } from '../busybox.js';
import { docker } from '../docker-cli.js';
import { engineApiHeadersFirst, engineApiOk } from '../engine-api.js';

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

export function createRunApiCase(): BenchCase {
  return apiRunCase('run-api', 'none', 0.25, 'docker run --rm --network none busybox true (the engine side of run)');
}

/** network-start's engine side: the same calls on the default bridge. */
export function createNetworkStartApiCase(): BenchCase {
  return apiRunCase(
    'network-start-api',
    'default',
    0.3,
    'docker run --rm busybox true on the default bridge (the engine side of network-start)',
  );
}

function apiRunCase(name: string, networkMode: string, ratio: number, what: string): BenchCase {
  return {
    name,
    description: `the Engine API calls of ${what}`,
    unit: 'ms',
    target: { ratio, better: 'lower' },
    defaultRuns: 20,
    needsNetworking: networkMode !== 'none',

    async setup(ctx) {
      await prepareBusybox(ctx);
    },

    async run(ctx, engine) {
      const start = process.hrtime.bigint();
      const body = { Image: BUSYBOX_IMAGE, Cmd: ['true'], HostConfig: { AutoRemove: true, NetworkMode: networkMode } };
      const created = await engineApiOk(engine, 'POST', '/containers/create', body, ctx.signal);
      const { Id: id } = JSON.parse(created) as { Id: string };
      // As the CLI does: the wait is in place (its status line came back) before the start.
      const wait = await engineApiHeadersFirst(engine, 'POST', `/containers/${id}/wait?condition=removed`, ctx.signal);
      if (wait.status !== 200) throw new Error(`${name}: ${engine.name} answered the wait with ${wait.status}`);
      await engineApiOk(engine, 'POST', `/containers/${id}/start`, undefined, ctx.signal);
      const { StatusCode: code } = JSON.parse(await wait.body) as { StatusCode: number };
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) throw new Error(`${name}: ${engine.name} reported exit code ${code}`);
      return ms;
    },

    // AutoRemove removes each container.
    async teardown() {},
  };
}
