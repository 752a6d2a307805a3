/**
 * The `berth` command tree and its top level: parse, run one command, and
 * turn any failure into one line on stderr and an exit code, as docker does
 * (1 for errors, 125 for usage errors, 0 after a declined prompt, or the code
 * a command chose: a container's exit status, run's 125/126/127).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isBerthError } from '../kernel/index.js';
import { normalizeBoolFlags } from './argv.js';
import { buildCommand } from './commands/build.js';
import { builderCommand } from './commands/builder.js';
import { attachCommand } from './commands/attach.js';
import { commitCommand } from './commands/commit.js';
import { containerCommand } from './commands/container.js';
import { createCommand } from './commands/create.js';
import { DAEMON_COMMAND, daemonCommand } from './commands/daemon.js';
import { diffCommand } from './commands/diff.js';
import { execCommand } from './commands/exec.js';
import { historyCommand } from './commands/history.js';
import { imageCommand } from './commands/image.js';
import { imagesCommand } from './commands/images.js';
import { importCommand } from './commands/import.js';
import { infoCommand } from './commands/info.js';
import { inspectCommand } from './commands/inspect.js';
import { killCommand, pauseCommand, renameCommand, stopCommand, waitCommand } from './commands/lifecycle.js';
import { loadCommand } from './commands/load.js';
import { loginCommand } from './commands/login.js';
import { logoutCommand } from './commands/logout.js';
import { logsCommand } from './commands/logs.js';
import { psCommand } from './commands/ps.js';
import { pullCommand } from './commands/pull.js';
import { pushCommand } from './commands/push.js';
import { rmCommand } from './commands/rm.js';
import { rmiCommand } from './commands/rmi.js';
import { runCommand } from './commands/run.js';
import { saveCommand } from './commands/save.js';
import { startCommand } from './commands/start.js';
import { systemCommand } from './commands/system.js';
import { tagCommand } from './commands/tag.js';
import { versionCommand } from './commands/version.js';
import { volumeCommand } from './commands/volume.js';
import { networkCommand } from './commands/network.js';
import { portCommand } from './commands/port.js';
import { createContext, processIO, type CliContext, type CliIO } from './context.js';
import { DEFAULT_HOST } from './host.js';
import { StatusError } from './status-error.js';

/** docker's exit status for a command line it could not parse. */
const USAGE_EXIT_CODE = 125;

export interface RunOptions {
  io?: CliIO;
  /** Path of the compiled berthd entry point, for `berth daemon`. */
  daemonEntry?: string;
}

/** Runs the CLI on `args` (argv without node and script) and returns the exit code. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<number> {
  // The context reads -H lazily, after the program it is built into has parsed it.
  const parsed: { program?: Command } = {};
  const ctx = createContext({
    io: options.io ?? processIO(),
    version: ownVersion(),
    ...(options.daemonEntry !== undefined && { daemonEntry: options.daemonEntry }),
    hostFlag: () => parsed.program?.opts<{ host?: string }>().host,
  });
  const program = (parsed.program = buildProgram(ctx));
  try {
    await program.parseAsync(normalizeBoolFlags(program, args), { from: 'user' });
    return ctx.exitCode;
  } catch (e: unknown) {
    return reportError(ctx, e);
  }
}

function buildProgram(ctx: CliContext): Command {
  const program = new Command('berth')
    .description('A container engine that speaks the Docker Engine API')
    .usage('[OPTIONS] COMMAND')
    .option('-H, --host <host>', `Daemon socket to connect to (default: $BERTH_HOST, $DOCKER_HOST or ${DEFAULT_HOST})`)
    .version(`berth version ${ctx.version}`, '-v, --version', 'Print version information and quit')
    .helpCommand('help [command]', 'Help about any command')
    .enablePositionalOptions();
  const groups: Array<[string, Command[]]> = [
    ['Common Commands:', commonCommands(ctx)],
    [
      'Management Commands:',
      [builderCommand(ctx), containerCommand(ctx), imageCommand(ctx), networkCommand(ctx), systemCommand(ctx)].concat(
        volumeCommand(ctx),
      ),
    ],
    ['Commands:', otherCommands(ctx)],
  ];
  for (const [heading, commands] of groups) {
    for (const command of commands) program.addCommand(command.helpGroup(heading));
  }
  configure(program, ctx, 'berth');
  return program;
}

function commonCommands(ctx: CliContext): Command[] {
  return [runCommand(ctx), execCommand(ctx), psCommand(ctx, 'ps'), buildCommand(ctx)].concat([
    pullCommand(ctx),
    pushCommand(ctx),
    imagesCommand(ctx, 'images'),
    loginCommand(ctx),
    logoutCommand(ctx),
    versionCommand(ctx),
    infoCommand(ctx),
  ]);
}

function otherCommands(ctx: CliContext): Command[] {
  const containers = [
    attachCommand(ctx),
    commitCommand(ctx),
    createCommand(ctx),
    daemonCommand(ctx),
    diffCommand(ctx),
  ].concat([
    historyCommand(ctx),
    importCommand(ctx),
    inspectCommand(ctx),
    killCommand(ctx),
    loadCommand(ctx),
    logsCommand(ctx),
    pauseCommand(ctx, 'pause'),
    portCommand(ctx),
    renameCommand(ctx),
    stopCommand(ctx, 'restart'),
    rmCommand(ctx, 'rm'),
  ]);
  return containers.concat([
    rmiCommand(ctx, 'rmi'),
    saveCommand(ctx),
    startCommand(ctx),
    stopCommand(ctx, 'stop'),
    tagCommand(ctx),
    pauseCommand(ctx, 'unpause'),
    waitCommand(ctx),
  ]);
}

/** Help laid out like docker's: bare command names, long-only flags indented under short ones. */
const HELP_STYLE = {
  subcommandTerm: (cmd: Command): string => [cmd.name(), ...cmd.aliases()].join(', '),
  optionTerm: (option: { short?: string | undefined; flags: string }): string =>
    option.short ? option.flags : `    ${option.flags}`,
};

/** Settings commander does not pass to commands built separately and added. */
function configure(command: Command, ctx: CliContext, path: string): void {
  command
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) })
    .configureHelp(HELP_STYLE)
    .showHelpAfterError(`See '${path} --help'.`);
  // `daemon` hands --help to berthd.
  if (command.name() !== DAEMON_COMMAND) command.helpOption('-h, --help', 'Print usage');
  for (const sub of command.commands) configure(sub, ctx, `${path} ${sub.name()}`);
}

function reportError(ctx: CliContext, e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has printed the message or the help already.
    const informational = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(e.code);
    return informational ? 0 : USAGE_EXIT_CODE;
  }
  if (isBerthError(e, 'canceled')) return 0;
  if (e instanceof StatusError) {
    if (e.message !== '') ctx.err(`${e.message}\n`);
    return e.exitCode;
  }
  ctx.err(`${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

/** The version in berth's package.json (two levels above dist/src/cli). */
function ownVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
