/**
 * What every command gets: the API client (made on first use, from the host
 * flag and environment), the standard streams and terminal facts. Commands
 * write through here rather than to `process` so the whole CLI can run with
 * other streams.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createApiClient, type ApiClient } from './client.js';
import { resolveHost } from './host.js';

export interface OutputStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface InputStream extends Readable {
  isTTY?: boolean;
}

export interface CliIO {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

export interface CliContext {
  readonly io: CliIO;
  /** berth's own version, for `version` and the User-Agent. */
  readonly version: string;
  /** The compiled berthd entry point `daemon` runs, when known. */
  readonly daemonEntry: string | undefined;
  /** The process exit code when the command succeeds (`daemon` passes berthd's on). */
  exitCode: number;
  /** The daemon address after flag and environment are applied. */
  host: () => string;
  client: () => ApiClient;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Writes a prompt to stdout and reads one line of stdin (undefined at end of input). */
  prompt: (message: string) => Promise<string | undefined>;
}

export interface ContextOptions {
  io: CliIO;
  version: string;
  daemonEntry?: string;
  /** Reads the global -H/--host flag once options are parsed. */
  hostFlag: () => string | undefined;
}

export function createContext(options: ContextOptions): CliContext {
  const { io } = options;
  let client: ApiClient | undefined;
  const host = (): string => resolveHost(options.hostFlag(), io.env);
  return {
    io,
    version: options.version,
    daemonEntry: options.daemonEntry,
    exitCode: 0,
    host,
    client: () => (client ??= createApiClient(host(), `berth-cli/${options.version}`)),
    out: (text) => void io.stdout.write(text),
    err: (text) => void io.stderr.write(text),
    async prompt(message: string): Promise<string | undefined> {
      io.stdout.write(message);
      const rl = readline.createInterface({ input: io.stdin, terminal: false });
      try {
        for await (const line of rl) return line;
        return undefined;
      } finally {
        rl.close();
      }
    },
  };
}

export function processIO(): CliIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
