import type { Command } from 'commander';

/** The spellings Go's strconv.ParseBool accepts, which docker's flags take after '='. */
const GO_BOOLS: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

/**
 * Rewrites Go-style boolean flags (`--no-trunc=true`, `-H=false`) into what
 * commander understands: `=true` becomes the bare flag, `=false` is dropped,
 * or becomes `--no-<flag>` for a flag whose default is true. Only flags the
 * invoked command declares are touched (`daemon` declares none, so berthd's
 * arguments pass unchanged), and nothing after `--`.
 */
export function normalizeBoolFlags(program: Command, args: readonly string[]): string[] {
  const out: string[] = [];
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('-')) {
      cmd = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg)) ?? cmd;
      out.push(arg);
      continue;
    }
    out.push(...rewrite(cmd, arg));
  }
  return out;
}

function rewrite(cmd: Command, arg: string): string[] {
  const m = /^(--?[A-Za-z][\w-]*)=(.*)$/.exec(arg);
  if (!m) return [arg];
  const [, flag = '', text = ''] = m;
  const value = GO_BOOLS[text];
  const option = cmd.options.find((o) => o.short === flag || o.long === flag);
  if (!option || option.required || option.optional || value === undefined) return [arg];
  if (value) return [flag];
  if (!option.negate && option.defaultValue === true) return [`--no-${(option.long ?? '').replace(/^--/, '')}`];
  return [];
}
