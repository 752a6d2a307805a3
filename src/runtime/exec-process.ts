/**
 * The OCI process of an exec session (`runc exec --process`): the
 * container's own process from its bundle's config.json — so capabilities,
 * AppArmor profile, no-new-privileges and rlimits stay what the container
 * has — with the command, environment, working directory, user and terminal
 * of the exec.
 */
import path from 'node:path';
import { invalidArgument } from '../kernel/index.js';
import type { OciRuntime } from '../spec/index.js';
import { processEnv } from './spec-process.js';
import type { ContainerSettings } from './spec-types.js';
import type { ResolvedUser } from './user.js';

export interface ExecProcessInput {
  /** `process` of the container's config.json. */
  base: OciRuntime.Process;
  /** The container's merged settings: its Env and Hostname are the exec's base environment. */
  container: ContainerSettings;
  /** The container's hostname (HOSTNAME in the environment). */
  hostname: string;
  args: readonly string[];
  /** The exec's own variables; they replace the container's by key. */
  env: readonly string[];
  /** The exec's WorkingDir; empty keeps the container's. */
  workingDir: string;
  user: ResolvedUser;
  tty: boolean;
  /**
   * `docker exec --privileged`: these capabilities (see
   * `grantableCapabilities`), whatever the container has.
   */
  privilegedCapabilities?: readonly string[];
}

export function buildExecProcess(input: ExecProcessInput): OciRuntime.Process {
  if (input.args.length === 0) throw invalidArgument('No exec command specified');
  const cwd = input.workingDir || input.base.cwd || '/';
  if (!path.isAbsolute(cwd)) {
    throw invalidArgument(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  }
  // Docker builds an exec's environment as a container's (PATH, HOSTNAME,
  // TERM for the exec's own TTY, then the container's Env) and lays the
  // exec's Env over it.
  const env = processEnv({ Env: [...(input.container.Env ?? []), ...input.env], Tty: input.tty }, input.hostname);
  const proc: OciRuntime.Process = {
    ...input.base,
    terminal: input.tty,
    args: [...input.args],
    env,
    cwd,
    user: { uid: input.user.uid, gid: input.user.gid, additionalGids: [...input.user.additionalGids] },
  };
  delete proc.consoleSize;
  if (input.privilegedCapabilities !== undefined) {
    const caps = [...input.privilegedCapabilities];
    proc.capabilities = { bounding: caps, effective: caps, permitted: caps };
  }
  return proc;
}
