/** RUN: the command, its environment and its history text. */
import { BerthError } from '../kernel/index.js';
import { defaults, runArgs, type StageState } from './build-state.js';
import type { BuildDeps } from './deps.js';
import type { RunInstruction } from './dockerfile/index.js';
import { commandArgv } from './evaluate-meta.js';
import type { StepPlan } from './step-plan.js';
import { runStepCommand } from './step-run.js';

export interface RunContext {
  deps: BuildDeps;
  write: (text: string) => void;
  signal?: AbortSignal;
  /** `--network` of the build: the network each RUN step joins (deps.network resolves it). */
  networkMode?: string;
}

/**
 * Plans a RUN. History and cache key carry the ARG values it sees, as
 * Docker's `|N K=V … /bin/sh -c cmd`; heredocs are handed to the shell
 * as written, which runs them as its own here-documents.
 */
export function planRun(state: StageState, i: RunInstruction, ctx: RunContext): StepPlan {
  if (i.mounts.length > 0) {
    throw new BerthError(
      'not-implemented',
      `line ${i.line}: RUN --mount needs BuildKit; berth's classic builder does not support it`,
    );
  }
  if (i.network !== undefined && i.network !== 'default') {
    throw new BerthError(
      'not-implemented',
      `line ${i.line}: RUN --network=${i.network} is not supported by berth's builder`,
    );
  }
  const command =
    i.command.form === 'shell' && i.heredocs.length > 0
      ? {
          form: 'shell' as const,
          command: [i.command.command, ...i.heredocs.map((h) => `${h.content}${h.name}`)].join('\n'),
        }
      : i.command;
  const argv = commandArgv(state, command);
  const { history: args, hidden } = runArgs(state);
  const config = defaults(state);
  const env = [...(config.Env ?? []), ...args, ...hidden];
  const workingDir = config.WorkingDir ?? '/';
  const user = config.User ?? '';
  return {
    createdBy: (args.length > 0 ? [`|${args.length}`, ...args, ...argv] : argv).join(' '),
    container: true,
    run: async (step) => {
      const code = await runStepCommand(ctx.deps, step, { args: argv, env, workingDir, user }, ctx);
      if (code !== 0) {
        throw new BerthError(
          'failed-precondition',
          `The command '${argv.join(' ')}' returned a non-zero code: ${code}`,
        );
      }
    },
  };
}
