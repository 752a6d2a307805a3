/** Runs one case: setup, warm-up and measured runs interleaving the engines, teardown. */
import { errorMessage } from '../src/kernel/index.js';
import { DEFAULT_RUNS, type BenchCase, type BenchContext } from './case.js';
import type { EngineName } from './engines.js';
import type { CaseResult } from './report.js';
import { interleave, median, ratioOf, verdict } from './stats.js';

export interface MeasureOptions {
  /** Overrides the case's own number of runs. */
  readonly runs: number | undefined;
  readonly warmup: number;
}

export async function measureCase(bench: BenchCase, ctx: BenchContext, options: MeasureOptions): Promise<CaseResult> {
  const samples: Partial<Record<EngineName, number[]>> = {};
  let error: string | undefined;
  try {
    await bench.setup(ctx);
    await runAll(bench, ctx, options, samples);
  } catch (e: unknown) {
    // Interrupted: the run is over, not this case's result.
    if (ctx.signal.aborted) throw e;
    error = errorMessage(e);
    ctx.log(`${bench.name}: ${error}`);
  } finally {
    try {
      if (!ctx.signal.aborted) await bench.teardown(ctx);
    } catch (e: unknown) {
      ctx.log(`${bench.name}: teardown: ${errorMessage(e)}`);
    }
  }
  return summarise(bench, samples, error);
}

async function runAll(
  bench: BenchCase,
  ctx: BenchContext,
  options: MeasureOptions,
  samples: Partial<Record<EngineName, number[]>>,
): Promise<void> {
  const runs = options.runs ?? bench.defaultRuns ?? DEFAULT_RUNS;
  for (let i = 0; i < options.warmup + runs; i++) {
    for (const engine of interleave(ctx.engines, i)) {
      const value = await bench.run(ctx, engine);
      const measured = i >= options.warmup;
      const label = measured ? `run ${i - options.warmup + 1}/${runs}` : 'warm-up';
      ctx.log(
        `${bench.name}  ${engine.name.padEnd(7)}  ${label.padEnd(9)}  ${value.toFixed(bench.unit === 'MiB' ? 2 : 1)} ${bench.unit}`,
      );
      if (measured) (samples[engine.name] ??= []).push(value);
    }
  }
}

function summarise(
  bench: BenchCase,
  samples: Partial<Record<EngineName, number[]>>,
  error: string | undefined,
): CaseResult {
  const berth = median(samples.berth ?? []);
  const dockerd = median(samples.dockerd ?? []);
  const ratio = error === undefined ? ratioOf(berth, dockerd) : undefined;
  return {
    name: bench.name,
    description: bench.description,
    unit: bench.unit,
    target: bench.target,
    samples,
    median: { ...(berth === undefined ? {} : { berth }), ...(dockerd === undefined ? {} : { dockerd }) },
    ratio,
    verdict: verdict(ratio, bench.target, berth),
    ...(error === undefined ? {} : { error }),
  };
}
