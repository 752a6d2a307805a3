/**
 * `npm run bench -- [case...] [--runs N] [--only berth|dockerd]`: starts
 * berthd and dockerd side by side on private sockets, runs each case on both
 * through the same docker CLI, prints medians and ratios, and writes the
 * results as JSON. Everything it starts or mounts is undone on exit, error,
 * SIGINT and SIGTERM.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../src/kernel/index.js';
import type { BenchCase, BenchContext } from './case.js';
import { CASE_FACTORIES } from './cases/index.js';
import { Cleanup, killProcessesUnder, removeWorkspace } from './cleanup.js';
import { DOCKER_CLI, docker } from './docker-cli.js';
import { startEngine, type Engine, type EngineName } from './engines.js';
import { measureCase } from './measure.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { formatTable, formatTarget, writeReport, type CaseResult } from './report.js';

const log = (message: string): void => void process.stderr.write(`${message}\n`);

async function main(cleanup: Cleanup, signal: AbortSignal): Promise<number> {
  const options = parseOptions(process.argv.slice(2), [...CASE_FACTORIES.keys()]);
  if (options.help || options.list) {
    if (options.help) log(USAGE);
    else listCases();
    return 0;
  }
  if (process.getuid?.() !== 0) throw new Error('benchmarks start container engines and must run as root');

  const startedAt = new Date().toISOString();
  const root = await mkdtemp(join(tmpdir(), 'berth-bench-'));
  cleanup.defer('remove workspace', () =>
    options.keep ? Promise.resolve(log(`bench: kept workspace ${root}`)) : removeWorkspace(root, tmpdir()),
  );
  const cases = options.cases.map((name) => createCase(name));
  const engines = await startEngines(root, options, cases, cleanup);
  const versions = await engineVersions(engines);
  const results: CaseResult[] = [];
  for (const bench of cases) {
    const dir = join(root, 'cases', bench.name);
    await mkdir(dir, { recursive: true });
    const ctx: BenchContext = { dir, cacheDir: join(root, 'cache'), engines, signal, log };
    results.push(await measureCase(bench, ctx, options));
  }

  process.stdout.write(`\n${formatTable(results)}\n\n`);
  const report = { startedAt, finishedAt: new Date().toISOString(), runs: options.runs, warmup: options.warmup };
  await writeReport(options.outPath, {
    ...report,
    host: hostInfo(),
    dockerCli: DOCKER_CLI,
    engines: versions,
    cases: results,
  });
  log(`bench: results written to ${options.outPath}`);
  return results.some((r) => r.error !== undefined || r.verdict === 'fail') ? 1 : 0;
}

function createCase(name: string): BenchCase {
  const factory = CASE_FACTORIES.get(name);
  if (factory === undefined) throw new Error(`unknown case ${name}`);
  return factory();
}

function listCases(): void {
  for (const [name, factory] of CASE_FACTORIES) {
    const bench = factory();
    const goal = formatTarget(bench.target, bench.unit);
    process.stdout.write(`${name.padEnd(12)} ${goal.padEnd(22)} ${bench.description}\n`);
  }
}

/** Starts the selected engines one after the other; each start registers its own undo first. */
async function startEngines(
  root: string,
  options: BenchOptions,
  cases: readonly BenchCase[],
  cleanup: Cleanup,
): Promise<Engine[]> {
  const dockerConfigDir = join(root, 'docker-config');
  await mkdir(join(root, 'cache'), { recursive: true });
  await mkdir(dockerConfigDir, { recursive: true });
  const networking = cases.some((c) => c.needsNetworking);
  const engines: Engine[] = [];
  for (const name of options.engines) {
    const dir = join(root, 'engines', name);
    await mkdir(dir, { recursive: true });
    // Registered before the start: a daemon that dies half-started may
    // still have spawned helpers (containerd) that name its directory.
    cleanup.defer(`sweep ${name} processes`, async () => void (await killProcessesUnder(dir)));
    log(`bench: starting ${name}${networking ? ' (with networking)' : ''}`);
    const engine = await startEngine(name, {
      dir,
      dockerConfigDir,
      networking,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    cleanup.defer(`stop ${name}`, () => engine.stop());
    engines.push(engine);
  }
  return engines;
}

async function engineVersions(engines: readonly Engine[]): Promise<Partial<Record<EngineName, string>>> {
  const versions: Partial<Record<EngineName, string>> = {};
  for (const engine of engines) {
    const { stdout } = await docker(engine, ['version', '--format', '{{.Server.Version}}']);
    versions[engine.name] = stdout.trim();
    log(`bench: ${engine.name} is up (server ${versions[engine.name]}, pid ${engine.pid})`);
  }
  return versions;
}

function hostInfo(): { kernel: string; cpus: number; memoryMiB: number; node: string } {
  return { kernel: release(), cpus: cpus().length, memoryMiB: Math.round(totalmem() / 2 ** 20), node: process.version };
}

function onSignals(cleanup: Cleanup, abort: AbortController): void {
  let exiting = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (exiting) return log(`bench: ${signal}: still cleaning up`);
    exiting = true;
    log(`bench: ${signal}: stopping engines and cleaning up`);
    abort.abort();
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

const cleanup = new Cleanup();
const abort = new AbortController();
onSignals(cleanup, abort);
try {
  process.exitCode = await main(cleanup, abort.signal);
} catch (e: unknown) {
  if (!abort.signal.aborted) log(`bench: ${errorMessage(e)}`);
  process.exitCode = 1;
} finally {
  if (!abort.signal.aborted) await cleanup.run();
}
