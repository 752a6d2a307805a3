/**
 * runtime — turning a container into a running process: the OCI runtime
 * spec with Docker's defaults (capabilities, seccomp, masked paths, mounts,
 * resources), user resolution inside the rootfs, and the runc + conmon
 * driver (create, start, kill, delete, exit status, logs). Knows nothing of
 * container records, names or the API. Implements runtime-spec config.md and
 * config-linux.md.
 */
export { buildRuntimeSpec } from './spec.js';
export { mergeImageDefaults } from './spec-process.js';
export { readHostFacts } from './spec-host.js';
export type { ContainerSettings, EtcFiles, HostFacts, RuntimeSpecInput } from './spec-types.js';
export { hostDevices } from './spec-devices.js';
export { resolveUser } from './user.js';
export { resolveInRoot, resolveParts } from './user-files.js';
export { bindMount } from './spec-mounts.js';
export { createContainer } from './conmon.js';
export {
  killContainer,
  listContainers,
  deleteContainer,
  stateOf,
  pauseContainer,
  resumeContainer,
  DEFAULT_RUNC_PATH,
} from './runc.js';
export type { RuncOptions, RuncState } from './runc.js';
export { startContainer } from './start.js';
export {
  readExitCode,
  removeExitFile,
  waitForExit,
  exitCodeOfStartFailure,
  wasOomKilled,
  clearOomKilled,
} from './exit.js';
export { readLogs } from './logs.js';
export type { LogEntry } from './logs.js';
export { buildExecProcess } from './exec-process.js';
export type { ExecProcessInput } from './exec-process.js';
export { spawnExec, readExecPid } from './exec-runc.js';
export type { ExecExit, ExecOptions, ExecProcess } from './exec-runc.js';
export { cgroupsOf, cgroupPids } from './cgroup.js';
export type { CgroupDirs } from './cgroup.js';
export { readCgroupStats, readSystemCpu } from './cgroup-stats.js';
export type { CgroupStats, CgroupCpuStats, SystemCpu } from './cgroup-stats.js';
export { applyResourceUpdate, validateResources, updateContainerResources } from './cgroup-update.js';
export type { ResourceUpdate } from './cgroup-update.js';
export { attachSocketPath, openAttachedStdin } from './attach.js';
export type { AttachedStdin } from './attach.js';
export { resizeTerminal } from './attach-resize.js';
export type { TerminalSize } from './attach-resize.js';
