/**
 * The instructions that change only the image config: ENV, LABEL, ARG,
 * EXPOSE, VOLUME, USER, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, CMD,
 * ENTRYPOINT, MAINTAINER. Each applies its change to the stage and returns
 * the history text Docker's classic builder writes for it.
 */
import { invalidArgument } from '../kernel/index.js';
import {
  defaults,
  expansionEnv,
  goList,
  goQuoteList,
  goQuoteRune,
  nopCreatedBy,
  setEnv,
  shellOf,
  type StageState,
} from './build-state.js';
import { expandWord, expandWords, type CommandLine, type HealthConfig, type Instruction } from './dockerfile/index.js';
import { exposedPorts } from './expose.js';
import type { StepPlan } from './step-plan.js';

type MetaInstruction = Exclude<Instruction, { kind: 'run' | 'copy' | 'add' | 'workdir' }>;

export function isMetaInstruction(i: Instruction): i is MetaInstruction {
  return !['run', 'copy', 'add', 'workdir'].includes(i.kind);
}

/** Applies a metadata instruction to `state`; returns its plan (no filesystem work). */
export function planMeta(state: StageState, i: MetaInstruction): StepPlan {
  const expand = (word: string) => expandWord(word, expansionEnv(state), { escape: state.escape });
  const config = defaults(state);
  const nop = (comment: string): StepPlan => ({ createdBy: nopCreatedBy(state, comment) });
  switch (i.kind) {
    case 'env': {
      const env = expansionEnv(state);
      const pairs = i.pairs.map(
        (p) =>
          [
            expandWord(p.key, env, { escape: state.escape }),
            expandWord(p.value, env, { escape: state.escape }),
          ] as const,
      );
      for (const [k, v] of pairs) setEnv(state, k, v);
      return nop(`ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
    case 'label': {
      const pairs = i.pairs.map((p) => [expand(p.key), expand(p.value)] as const);
      config.Labels = { ...config.Labels };
      for (const [k, v] of pairs) config.Labels[k] = v;
      return nop(`LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
    case 'arg': {
      const words: string[] = [];
      for (const a of i.args) {
        state.args.declare(a.name, a.default === undefined ? undefined : expand(a.default));
        const value = state.args.value(a.name);
        words.push(a.default === undefined ? a.name : `${a.name}=${value ?? ''}`);
      }
      return nop(`ARG ${words.join(' ')}`);
    }
    case 'expose': {
      const words = i.ports.flatMap((p) => expandWords(p, expansionEnv(state), { escape: state.escape }));
      config.ExposedPorts = { ...config.ExposedPorts };
      for (const port of exposedPorts(words)) config.ExposedPorts[port] = {};
      return nop(`EXPOSE ${words.join(' ')}`);
    }
    case 'volume': {
      const paths = i.paths.map(expand);
      config.Volumes = { ...config.Volumes };
      for (const p of paths) {
        if (p.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
        config.Volumes[p] = {};
      }
      return nop(`VOLUME ${goList(paths)}`);
    }
    case 'user':
      config.User = expand(i.user);
      return nop(`USER ${config.User}`);
    case 'stopsignal':
      config.StopSignal = expand(i.signal);
      return nop(`STOPSIGNAL ${config.StopSignal}`);
    case 'healthcheck':
      return planHealthcheck(state, i.health);
    case 'shell':
      config.Shell = [...i.shell];
      return nop(`SHELL ${goList(i.shell)}`);
    case 'onbuild':
      config.OnBuild = [...(config.OnBuild ?? []), i.expression];
      return nop(`ONBUILD ${i.expression}`);
    case 'cmd':
      config.Cmd = commandArgv(state, i.command);
      state.cmdSet = true;
      return nop(`CMD ${goQuoteList(config.Cmd)}`);
    case 'entrypoint':
      config.Entrypoint = commandArgv(state, i.command);
      // Docker: an ENTRYPOINT drops the CMD inherited from the base, not one set in this stage.
      if (!state.cmdSet) config.Cmd = null;
      return nop(`ENTRYPOINT ${goQuoteList(config.Entrypoint)}`);
    case 'maintainer':
      state.config.author = i.name;
      return nop(`MAINTAINER ${i.name}`);
  }
}

/** Exec form as written; shell form run by the stage's shell. */
export function commandArgv(state: StageState, command: CommandLine): string[] {
  return command.form === 'exec' ? [...command.argv] : [...shellOf(state), command.command];
}

function planHealthcheck(state: StageState, h: HealthConfig): StepPlan {
  const config = defaults(state);
  const hc: NonNullable<typeof config.Healthcheck> = { Test: [...h.test] };
  if (h.interval !== undefined) hc.Interval = h.interval;
  if (h.timeout !== undefined) hc.Timeout = h.timeout;
  if (h.startPeriod !== undefined) hc.StartPeriod = h.startPeriod;
  if (h.startInterval !== undefined) hc.StartInterval = h.startInterval;
  if (h.retries !== undefined) hc.Retries = h.retries;
  config.Healthcheck = hc;
  const seconds = (ns = 0) => `"${ns / 1e9}s"`;
  const fields = [
    goQuoteList(h.test),
    seconds(hc.Interval),
    seconds(hc.Timeout),
    seconds(hc.StartPeriod),
    goQuoteRune(hc.Retries ?? 0),
  ];
  return { createdBy: nopCreatedBy(state, `HEALTHCHECK &{${fields.join(' ')}}`) };
}
