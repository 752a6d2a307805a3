/**
 * Evaluating a Dockerfile's stages in order, the classic builder's way:
 * every stage up to the target is built, each instruction is one numbered
 * step (`Step N/M : …`) that makes one image, and later stages may start
 * from or copy out of earlier ones.
 */
import { BerthError, invalidArgument, notFound } from '../kernel/index.js';
import { hostPlatform, parsePlatform, type Platform } from '../image/index.js';
import { beginStage, defaults, nopCreatedBy, type StageState } from './build-state.js';
import type { BuildDeps, BuildImage } from './deps.js';
import {
  expandWord,
  parseOnbuildTrigger,
  type ArgScope,
  type Dockerfile,
  type Instruction,
  type Stage,
} from './dockerfile/index.js';
import { planCopy, type CopyContext } from './evaluate-copy.js';
import { isMetaInstruction, planMeta } from './evaluate-meta.js';
import { planRun } from './evaluate-run.js';
import { planWorkdir } from './evaluate-workdir.js';
import { commitStep, shortId } from './step-commit.js';
import type { StepPlan } from './step-plan.js';

export interface EvaluateOptions {
  deps: BuildDeps;
  /** The global ARG scope, with the `--build-arg` values and the platform ARGs. */
  args: ArgScope;
  target?: string;
  /** From buildPlatform. */
  platform: Platform;
  labels: Record<string, string>;
  noCache: boolean;
  /** Always ask for the base image anew (`--pull`), when a pull is wired. */
  pull: boolean;
  copy: Omit<CopyContext, 'resolveFrom'>;
  write: (text: string) => void;
  signal?: AbortSignal;
  networkMode?: string;
}

/** Builds the stages up to the target; returns the last one's image. */
export async function evaluateDockerfile(df: Dockerfile, o: EvaluateOptions): Promise<BuildImage> {
  const stages = stagesToBuild(df, o.target);
  const total = stages.reduce((n, s) => n + 1 + s.instructions.length, 0) + (Object.keys(o.labels).length > 0 ? 1 : 0);
  const globals = declareGlobalArgs(df, o.args);
  const built = new Map<string, BuildImage>();
  const { platform } = o;
  let step = 0;
  let last: StageState | undefined;
  const resolveFrom = async (name: string): Promise<BuildImage> =>
    built.get(name.toLowerCase()) ?? (await baseImage(o, name, platform));
  for (const stage of stages) {
    o.signal?.throwIfAborted();
    o.write(`Step ${++step}/${total} : ${stage.original}\n`);
    const state = await fromStage(stage, df, o, { globals, built, platform });
    for (const i of stage.instructions) {
      o.signal?.throwIfAborted();
      o.write(`Step ${++step}/${total} : ${i.original}\n`);
      await commitStep(state, await plan(state, i, o, resolveFrom), {
        deps: o.deps,
        noCache: o.noCache,
        write: o.write,
      });
    }
    if (!state.image) throw invalidArgument('No image was generated. Is your Dockerfile empty?');
    built.set(String(stage.index), state.image);
    if (stage.name) built.set(stage.name, state.image);
    last = state;
  }
  if (last && Object.keys(o.labels).length > 0) {
    const text = Object.entries(o.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    o.write(`Step ${++step}/${total} : LABEL ${text}\n`);
    const config = defaults(last);
    config.Labels = { ...config.Labels, ...o.labels };
    await commitStep(
      last,
      { createdBy: nopCreatedBy(last, `LABEL ${text}`) },
      { deps: o.deps, noCache: o.noCache, write: o.write },
    );
  }
  if (!last?.image) throw invalidArgument('No image was generated. Is your Dockerfile empty?');
  return last.image;
}

/** The build's platform: the host's. RUN executes host binaries, so another one cannot be built here. */
export function buildPlatform(requested: string | undefined): Platform {
  const host = hostPlatform();
  if (requested === undefined) return host;
  const want = parsePlatform(requested);
  if (want.os !== host.os || want.architecture !== host.architecture) {
    throw new BerthError(
      'not-implemented',
      `building for ${requested} is not supported: berth builds for ${host.os}/${host.architecture} only`,
    );
  }
  return host;
}

function stagesToBuild(df: Dockerfile, target: string | undefined): Stage[] {
  if (target === undefined) return df.stages;
  const at = df.stages.findIndex((s) => s.name === target.toLowerCase());
  if (at < 0) throw invalidArgument(`failed to reach build target ${target} in Dockerfile`);
  return df.stages.slice(0, at + 1);
}

/** Global ARGs (before the first FROM): visible in FROM lines, and as defaults of re-declarations. */
function declareGlobalArgs(df: Dockerfile, args: ArgScope): Map<string, string> {
  for (const i of df.globalArgs) {
    for (const a of i.args) {
      const escape = df.directives.escape;
      args.declare(a.name, a.default === undefined ? undefined : expandWord(a.default, args.values(), { escape }));
    }
  }
  return args.values();
}

async function fromStage(
  stage: Stage,
  df: Dockerfile,
  o: EvaluateOptions,
  s: { globals: Map<string, string>; built: Map<string, BuildImage>; platform: Platform },
): Promise<StageState> {
  const name = expandWord(stage.base, s.globals, { escape: df.directives.escape });
  if (name === '') throw invalidArgument(`line ${stage.line}: base name (${stage.base}) should not be blank`);
  const base =
    name.toLowerCase() === 'scratch'
      ? null
      : (s.built.get(name.toLowerCase()) ?? (await baseImage(o, name, s.platform)));
  if (base) o.write(` ---> ${shortId(base.id)}\n`);
  const state = beginStage(base, s.platform, { escape: df.directives.escape, args: o.args.stage() });
  const triggers = defaults(state).OnBuild ?? [];
  if (triggers.length > 0) {
    defaults(state).OnBuild = null;
    o.write(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
    for (const trigger of triggers) {
      const i = parseOnbuildTrigger(trigger);
      await commitStep(state, await plan(state, i, o, (n) => baseImage(o, n, s.platform)), {
        deps: o.deps,
        noCache: o.noCache,
        write: o.write,
      });
    }
  }
  return state;
}

/** A stored image, or pulled when the engine can pull; `--pull` prefers pulling. */
async function baseImage(o: EvaluateOptions, name: string, platform: Platform): Promise<BuildImage> {
  const { deps } = o;
  if (o.pull && deps.pull) return deps.pull(name, platform);
  const local = await deps.images.find(name);
  if (local) return local;
  if (deps.pull) return deps.pull(name, platform);
  throw notFound(
    `pull access denied for ${name}: berth has no image ${name} and cannot pull yet; load or import it first`,
  );
}

async function plan(
  state: StageState,
  i: Instruction,
  o: EvaluateOptions,
  resolveFrom: (name: string) => Promise<BuildImage>,
): Promise<StepPlan> {
  switch (i.kind) {
    case 'run':
      return planRun(state, i, {
        deps: o.deps,
        write: o.write,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.networkMode ? { networkMode: o.networkMode } : {}),
      });
    case 'copy':
    case 'add':
      return planCopy(state, i, { ...o.copy, resolveFrom });
    case 'workdir':
      return planWorkdir(state, i);
    default:
      if (isMetaInstruction(i)) return planMeta(state, i);
      throw new BerthError('internal', `unhandled instruction ${(i as Instruction).kind}`);
  }
}
