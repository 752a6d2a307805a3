import type { StepRootfs } from './step-rootfs.js';

/**
 * One evaluated instruction, before it is committed: its history text (also
 * the main part of its cache key) and, for steps that change files, the
 * work to do in the step's filesystem. Metadata changes are already applied
 * to the stage state when a plan is returned.
 */
export interface StepPlan {
  /** The history entry's `created_by`, Docker's classic form. */
  createdBy: string;
  /** More cache key input: the content hash of COPY/ADD sources. */
  cacheExtra?: string;
  /** Filesystem work; absent for steps that only change the config. */
  run?: (step: StepRootfs) => Promise<void>;
  /** RUN: Docker prints "Running in" and "Removing intermediate container" around it. */
  container?: boolean;
}
