import type { Api } from '../spec/index.js';
import type { ContainerState } from './types.js';

/** Docker's backoff: 100 ms, doubling per restart, at most a minute; reset after 10 s of running. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

/** Whether a container that just exited should be started again by its restart policy. */
export function shouldRestart(policy: Api.RestartPolicy | undefined, state: ContainerState): boolean {
  if (state.manuallyStopped) return false;
  switch (policy?.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return state.exitCode !== 0 && (!policy.MaximumRetryCount || state.restartCount < policy.MaximumRetryCount);
    default:
      return false;
  }
}

/** Whether berthd should start the container when it starts itself (Docker's daemon start). */
export function restartsWithDaemon(policy: Api.RestartPolicy | undefined, state: ContainerState): boolean {
  return (policy?.Name === 'always' || policy?.Name === 'unless-stopped') && !state.manuallyStopped;
}

/** The wait before the next restart, given how long the last run lasted. */
export function restartDelay(state: ContainerState, ranForMs: number): number {
  if (ranForMs >= RESET_AFTER_MS) return FIRST_DELAY_MS;
  return Math.min(FIRST_DELAY_MS * 2 ** state.restartCount, MAX_DELAY_MS);
}

/** Validates a policy as Docker does at create. */
export function restartPolicyError(policy: Api.RestartPolicy | undefined, autoRemove: boolean): string | undefined {
  const name = policy?.Name ?? '';
  if (!['', 'no', 'always', 'unless-stopped', 'on-failure'].includes(name)) return `invalid restart policy '${name}'`;
  if (name !== 'on-failure' && (policy?.MaximumRetryCount ?? 0) !== 0) {
    return `invalid restart policy: maximum retry count can only be used with 'on-failure'`;
  }
  if ((policy?.MaximumRetryCount ?? 0) < 0) return 'invalid restart policy: maximum retry count cannot be negative';
  if (autoRemove && name !== '' && name !== 'no') return "can't create 'AutoRemove' container with restart policy";
  return undefined;
}
