/**
 * `docker build` (classic builder on both engines) of a 15-step Dockerfile:
 * RUN, COPY of a few MB, ENV, WORKDIR, LABEL, CMD. Three cases share one
 * context: a cold build (`--no-cache`), a fully cached rebuild, and a
 * rebuild after one copied file changed mid-way. RUN steps use `--network
 * none`, as dockerd runs here without a bridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchCase, BenchContext } from '../case.js';
import { prepareBusybox } from '../busybox.js';
import { docker } from '../docker-cli.js';
import type { Engine } from '../engines.js';

const TAG = 'bench/build:latest';
const DOCKERFILE = `FROM busybox:latest
ENV APP=/app
WORKDIR /app
COPY assets/ /app/assets/
RUN cat /app/assets/* | wc -c > /app/size
ENV A=1
COPY src/first.txt /app/src/
RUN echo one > /app/one
ENV B=2
COPY src/mid.txt /app/src/
RUN cat /app/src/mid.txt > /app/mid
ENV C=3
RUN echo done > /app/done
LABEL bench=build
CMD ["cat", "/app/size"]
`;

type Mode = 'cold' | 'cached' | 'changed';

const DESCRIPTIONS: Record<Mode, string> = {
  cold: 'docker build --no-cache of a 15-step Dockerfile (RUN, 4 MB COPY, ENV)',
  cached: 'docker build of the same 15 steps with every step in the cache',
  changed: 'docker build after one copied file changed at step 10 of 15',
};
const TARGETS: Record<Mode, number> = { cold: 0.8, cached: 0.5, changed: 0.7 };

export const createBuildColdCase = (): BenchCase => createBuildCase('cold');
export const createBuildCachedCase = (): BenchCase => createBuildCase('cached');
export const createBuildChangedCase = (): BenchCase => createBuildCase('changed');

function createBuildCase(mode: Mode): BenchCase {
  let context = '';
  return {
    name: `build-${mode}`,
    description: DESCRIPTIONS[mode],
    unit: 'ms',
    target: { ratio: TARGETS[mode], better: 'lower' },
    needsNetworking: false,

    async setup(ctx) {
      await prepareBusybox(ctx);
      context = await writeBuildContext(ctx);
      for (const engine of ctx.engines) await build(ctx, engine, context, ['--no-cache']);
    },

    async run(ctx, engine) {
      if (mode === 'changed') await writeFile(join(context, 'src/mid.txt'), randomBytes(16).toString('hex'));
      const { ms, stdout } = await build(ctx, engine, context, mode === 'cold' ? ['--no-cache'] : []);
      const cached = (stdout.match(/ ---> Using cache/g) ?? []).length;
      // A fast but wrong build cannot pass: the cache must be used exactly as the mode says.
      const expected = { cold: 0, cached: 14, changed: 8 }[mode];
      if (cached !== expected)
        throw new Error(`build-${mode}: ${engine.name} used the cache ${cached} times, not ${expected}`);
      return ms;
    },

    async teardown(ctx) {
      for (const engine of ctx.engines) {
        await docker(engine, ['rmi', '-f', TAG], { signal: ctx.signal, allowFailure: true });
        await docker(engine, ['builder', 'prune', '-f'], { signal: ctx.signal, allowFailure: true });
      }
    },
  };
}

async function build(ctx: BenchContext, engine: Engine, context: string, extra: string[]) {
  return docker(engine, ['build', ...extra, '--network', 'none', '-t', TAG, context], { signal: ctx.signal });
}

/** The context: 4 MB of assets in 16 files, and two small source files. */
async function writeBuildContext(ctx: BenchContext): Promise<string> {
  const dir = join(ctx.dir, 'build-context');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  for (let i = 0; i < 16; i++) await writeFile(join(dir, 'assets', `asset-${i}.bin`), randomBytes(256 * 1024));
  await writeFile(join(dir, 'src/first.txt'), 'first\n');
  await writeFile(join(dir, 'src/mid.txt'), 'mid\n');
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  return dir;
}
