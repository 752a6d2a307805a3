import path from 'node:path';
import { invalidArgument } from '../kernel/index.js';
import type { Api, OciRuntime } from '../spec/index.js';
import { runtimeSpecError } from '../spec/index.js';
import { containerCapabilities } from './caps.js';
import { containerNamespaces, containerSeccomp, containerSysctls, protectedPaths } from './spec-linux.js';
import {
  bindMount,
  containerMounts,
  defaultMounts,
  defaultShmSize,
  etcFileMounts,
  tmpfsMounts,
} from './spec-mounts.js';
import { processArgs, processEnv } from './spec-process.js';
import { containerResources, containerRlimits } from './spec-resources.js';
import { checkDeviceMappings } from './spec-devices.js';
import { parseSecurityOptions } from './spec-security.js';
import type { SecurityOptions } from './spec-security.js';
import type { RuntimeSpecInput } from './spec-types.js';

/** The runtime-spec version berth writes; runc 1.1 reads 1.0.x. */
const ociVersion = '1.0.2';

/** Where `--init` binds the init binary inside the container, as Docker's docker-init. */
const initPath = '/dev/init';

/**
 * The OCI runtime spec (`config.json`) of a container, with Docker's
 * defaults: capabilities, masked and read-only paths, seccomp, device rules,
 * mounts, namespaces, resources. Pure: everything about the machine comes in
 * `input.host`. Throws `invalid-argument` with Docker's wording for settings
 * Docker refuses, and `not-implemented` for ones berth does not support yet.
 */
export function buildRuntimeSpec(input: RuntimeSpecInput): OciRuntime.Spec {
  const hc: Api.HostConfig = input.hostConfig ?? {};
  const privileged = hc.Privileged === true;
  const security = parseSecurityOptions(hc.SecurityOpt);
  const capabilities = containerCapabilities({
    capAdd: hc.CapAdd,
    capDrop: hc.CapDrop,
    privileged,
    lastCap: input.host.lastCap,
    bounding: input.host.boundingCaps,
  });
  const spec: OciRuntime.Spec = {
    ociVersion,
    process: buildProcess(input, hc, security, capabilities),
    root: { path: input.rootfs, readonly: hc.ReadonlyRootfs === true },
    mounts: buildMounts(input, hc, security),
    linux: buildLinux(input, hc, security, capabilities),
  };
  if (hc.UTSMode !== 'host') spec.hostname = hostnameOf(input);
  if (input.config.Domainname) spec.domainname = input.config.Domainname;
  if (hc.Annotations !== undefined) spec.annotations = { ...hc.Annotations };
  const error = runtimeSpecError(spec);
  if (error !== null) throw invalidArgument(`invalid container configuration: ${error}`);
  return spec;
}

function hostnameOf(input: RuntimeSpecInput): string {
  return input.config.Hostname || input.id.slice(0, 12);
}

function buildProcess(
  input: RuntimeSpecInput,
  hc: Api.HostConfig,
  security: SecurityOptions,
  capabilities: string[],
): OciRuntime.Process {
  const cwd = input.config.WorkingDir || '/';
  if (!path.isAbsolute(cwd)) {
    throw invalidArgument(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  }
  const oomScoreAdj = hc.OomScoreAdj ?? 0;
  if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
    throw invalidArgument(`Invalid value ${oomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  }
  const args = processArgs(input.config);
  const tty = input.config.Tty === true;
  const proc: OciRuntime.Process = {
    terminal: tty,
    user: { uid: input.user.uid, gid: input.user.gid, additionalGids: [...input.user.additionalGids] },
    args: hc.Init === true ? [initPath, '--', ...args] : args,
    env: processEnv(input.config, hostnameOf(input)),
    cwd,
    // Docker ≥ 20.10 leaves inheritable and ambient empty (CVE-2022-24769).
    capabilities: { bounding: capabilities, effective: capabilities, permitted: capabilities },
    rlimits: containerRlimits(hc.Ulimits, input.host),
    noNewPrivileges: security.noNewPrivileges,
    oomScoreAdj,
  };
  const [height, width] = hc.ConsoleSize ?? [];
  if (tty && height !== undefined && width !== undefined && height > 0 && width > 0) {
    proc.consoleSize = { height, width };
  }
  return proc;
}

function buildMounts(input: RuntimeSpecInput, hc: Api.HostConfig, security: SecurityOptions): OciRuntime.Mount[] {
  const user = [...etcFileMounts(input.etcFiles), ...tmpfsMounts(hc.Tmpfs), ...(input.mounts ?? [])];
  if (hc.IpcMode === 'host') user.push(bindMount('/dev/shm', '/dev/shm'));
  if (hc.Init === true) user.push(bindMount(input.host.initBinary, initPath, { readonly: true }));
  return containerMounts(defaultMounts(hc.ShmSize || defaultShmSize), user, {
    readonlyRootfs: hc.ReadonlyRootfs === true,
    privileged: hc.Privileged === true,
    writableCgroups: security.writableCgroups,
  });
}

function buildLinux(
  input: RuntimeSpecInput,
  hc: Api.HostConfig,
  security: SecurityOptions,
  capabilities: string[],
): OciRuntime.Linux {
  const privileged = hc.Privileged === true;
  checkDeviceMappings(hc.Devices);
  const linux: OciRuntime.Linux = {
    namespaces: containerNamespaces(hc, input.network, input.host, input.joined),
    resources: containerResources(hc, { privileged, host: input.host, deviceRules: input.devices?.rules }),
    ...(input.devices?.devices.length ? { devices: input.devices.devices } : {}),
    cgroupsPath: `${hc.CgroupParent || '/berth'}/${input.id}`,
    sysctl: containerSysctls(hc, input.network),
    ...protectedPaths(hc, input.host),
  };
  const seccomp = containerSeccomp(security, { privileged, capabilities, host: input.host });
  if (seccomp !== undefined) linux.seccomp = seccomp;
  return linux;
}
