import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { Command } from 'commander';
import { BerthError } from '../../kernel/index.js';
import type { CliContext } from '../context.js';

export const DAEMON_COMMAND = 'daemon';

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `daemon`: runs berthd in the foreground as a child process, so the CLI
 * never links the engine (STYLE §2). Every argument after `daemon` goes to
 * berthd unchanged, including --help.
 */
export function daemonCommand(ctx: CliContext): Command {
  return new Command(DAEMON_COMMAND)
    .description('Run the berth daemon (berthd) in the foreground')
    .usage('[BERTHD OPTIONS]')
    .argument('[args...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .action(async (args: string[]) => {
      ctx.exitCode = await runDaemon(ctx.daemonEntry, args);
    });
}

async function runDaemon(entry: string | undefined, args: string[]): Promise<number> {
  if (entry === undefined || !existsSync(entry)) {
    throw new BerthError(
      'failed-precondition',
      `cannot run the daemon: ${entry ?? 'berthd.js'} not found (is berth built?)`,
    );
  }
  // Its own process group: a terminal's Ctrl-C reaches berth only, which forwards
  // it once (berthd treats a second SIGINT as "stop now").
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit', detached: true });
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = FORWARDED_SIGNALS.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}
