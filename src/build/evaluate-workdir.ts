import { posix } from 'node:path';
import { defaults, expansionEnv, nopCreatedBy, type StageState } from './build-state.js';
import { ensureDir } from './copy-tree.js';
import { expandWord, type WorkdirInstruction } from './dockerfile/index.js';
import type { StepPlan } from './step-plan.js';

/**
 * WORKDIR: relative paths resolve against the current one; the directory is
 * created (root-owned, as Docker's classic builder does), which makes a
 * layer only when it did not exist.
 */
export function planWorkdir(state: StageState, i: WorkdirInstruction): StepPlan {
  const config = defaults(state);
  const dir = posix.resolve(
    config.WorkingDir || '/',
    expandWord(i.path, expansionEnv(state), { escape: state.escape }),
  );
  config.WorkingDir = dir;
  return {
    createdBy: nopCreatedBy(state, `WORKDIR ${dir}`, 'single'),
    run: async (step) => {
      await ensureDir(step.rootfs, dir, { uid: 0, gid: 0 });
    },
  };
}
