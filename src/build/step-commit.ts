/**
 * Turning a planned step into an image, or finding the image an identical
 * earlier step made. The cache key is the parent image, the step's history
 * text (instruction after expansion, ARG values for RUN) and its extra input
 * (source content for COPY/ADD); a hit means no work at all.
 */
import { sha256, type Digest } from '../kernel/index.js';
import type { StageState } from './build-state.js';
import type { BuildDeps } from './deps.js';
import type { StepPlan } from './step-plan.js';
import { newStepId, runInStepRootfs } from './step-rootfs.js';

export interface CommitContext {
  deps: BuildDeps;
  noCache: boolean;
  write: (text: string) => void;
}

/** The 12-hex short form Docker prints for IDs. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function cacheKey(parent: Digest | null, plan: StepPlan): string {
  return sha256(JSON.stringify([parent ?? 'scratch', plan.createdBy, plan.cacheExtra ?? ''])).slice(7);
}

/** Runs (or finds in the cache) one step; `state.image` and `state.config` become the step's result. */
export async function commitStep(state: StageState, plan: StepPlan, ctx: CommitContext): Promise<void> {
  const { deps } = ctx;
  const key = cacheKey(state.image?.id ?? null, plan);
  if (!ctx.noCache) {
    const hit = deps.cache.get(key);
    const image = hit === undefined ? undefined : await deps.images.find(hit);
    if (image) {
      ctx.write(' ---> Using cache\n');
      state.image = image;
      state.config = structuredClone(image.config);
      ctx.write(` ---> ${shortId(image.id)}\n`);
      return;
    }
  }
  const created = new Date().toISOString();
  state.config.created = created;
  state.config.history = [...(state.config.history ?? []), { created, created_by: plan.createdBy }];
  let id: Digest;
  const { run } = plan;
  if (run) {
    const stepId = newStepId();
    if (plan.container) ctx.write(` ---> Running in ${shortId(stepId)}\n`);
    id = await runInStepRootfs(
      deps,
      state.image,
      async (step) => {
        await run(step);
        return state.config;
      },
      stepId,
    );
    if (plan.container) ctx.write(`Removing intermediate container ${shortId(stepId)}\n`);
  } else {
    state.config.history[state.config.history.length - 1]!.empty_layer = true;
    id = await deps.images.create({ parent: state.image, config: state.config });
  }
  deps.cache.put(key, id);
  const image = await deps.images.find(id);
  if (!image) throw new Error(`the image of a build step vanished: ${id}`);
  state.image = image;
  state.config = structuredClone(image.config);
  ctx.write(` ---> ${shortId(id)}\n`);
}
