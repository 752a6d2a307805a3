/**
 * kernel — the vocabulary every module shares: error kinds, digests and their
 * branded types, progress and cancellation options, the logger, and the few
 * system calls Node does not offer. Imports nothing internal.
 */
export * from './errors.js';
export * from './digest.js';
export * from './progress.js';
export * from './logger.js';
export * from './leases.js';
export * from './syscalls.js';
export * from './detach-keys.js';
export { withHostLock } from './host-lock.js';
export { lockRoot, type RootLock } from './root-lock.js';
export {
  helperEnv,
  spawnFast,
  type FastSpawnOptions,
  type FastChild,
  type ExitStatus,
  type StdioMode,
} from './spawn.js';
export { execFast, type ExecFastOptions, type ExecFastResult } from './spawn-exec.js';
