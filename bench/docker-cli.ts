/**
 * Runs the docker CLI against one engine. Both engines get the same binary,
 * so a case measures the same command end to end: CLI start, API calls,
 * streaming, and the engine's work.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Engine } from './engines.js';

// Debian's docker.io also installs /usr/bin/docker (20.10); the 28.2 CLI in
// /usr/local/bin is the one berth targets, so prefer it whatever PATH says.
const PREFERRED_CLI = '/usr/local/bin/docker';
export const DOCKER_CLI = existsSync(PREFERRED_CLI) ? PREFERRED_CLI : 'docker';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall clock from spawn to exit, in milliseconds. */
  readonly ms: number;
}

export interface CliOptions {
  readonly signal?: AbortSignal;
  /** Return a non-zero exit as a result instead of throwing. */
  readonly allowFailure?: boolean;
}

export function docker(engine: Engine, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(DOCKER_CLI, args, {
      env: engine.cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const result = {
        code: code ?? -1,
        stdout: String(Buffer.concat(stdout)),
        stderr: String(Buffer.concat(stderr)),
        ms,
      };
      if (result.code === 0 || options.allowFailure) resolve(result);
      else reject(new Error(describeFailure(engine, args, result, signal)));
    });
  });
}

function describeFailure(engine: Engine, args: readonly string[], result: CliResult, signal: string | null): string {
  const how = signal === null ? `exit ${result.code}` : `signal ${signal}`;
  const lastLine = result.stderr.trim().split('\n').pop() ?? '';
  return `${engine.name}: docker ${args.join(' ')} failed (${how}): ${lastLine}`;
}
