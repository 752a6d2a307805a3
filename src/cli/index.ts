/**
 * cli — the `berth` command-line client. It talks to berthd only through the
 * Docker Engine API (never the data root), mirrors the docker CLI's commands,
 * flags and output, and renders Docker's JSON progress streams. It imports
 * only `kernel` and `spec` (STYLE §2).
 */
export { runCli, type RunOptions } from './program.js';
export type { CliIO } from './context.js';
