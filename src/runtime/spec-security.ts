import { invalidArgument } from '../kernel/index.js';

/** What `--security-opt` values ask for. */
export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** `builtin` is Docker's default profile; `unconfined` none; otherwise the profile's JSON text. */
  seccomp: 'builtin' | 'unconfined' | { json: string };
  writableCgroups: boolean;
  /** Options accepted but without effect here, worded for the create response's Warnings. */
  warnings: string[];
}

/** Go's strconv.ParseBool spellings, which Docker uses for option values. */
const boolValues: Readonly<Record<string, boolean>> = {
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
 * Parses `HostConfig.SecurityOpt` as Docker does: `key=value`, the older
 * `key:value`, and bare `no-new-privileges`. AppArmor and SELinux labels are
 * accepted and ignored (berth applies neither); anything else is refused
 * with Docker's message.
 */
export function parseSecurityOptions(opts: readonly string[] | null | undefined): SecurityOptions {
  const result: SecurityOptions = { noNewPrivileges: false, seccomp: 'builtin', writableCgroups: false, warnings: [] };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') {
      result.noNewPrivileges = true;
      continue;
    }
    const [key, value] = splitOption(opt);
    applyOption(result, key, value, opt);
  }
  return result;
}

function splitOption(opt: string): [string, string] {
  const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
  if (sep === undefined) throw invalidArgument(`invalid --security-opt 1: "${opt}"`);
  const at = opt.indexOf(sep);
  return [opt.slice(0, at), opt.slice(at + 1)];
}

function applyOption(result: SecurityOptions, key: string, value: string, opt: string): void {
  switch (key) {
    case 'no-new-privileges':
      result.noNewPrivileges = parseBool(value, opt);
      return;
    case 'writable-cgroups':
      result.writableCgroups = parseBool(value, opt);
      return;
    case 'seccomp':
      result.seccomp = value === 'unconfined' || value === 'builtin' ? value : { json: value };
      return;
    case 'apparmor':
      result.warnings.push(`AppArmor is not applied by berth: --security-opt ${opt} has no effect`);
      return;
    case 'label':
      if (value !== 'disable')
        result.warnings.push(`SELinux is not applied by berth: --security-opt ${opt} has no effect`);
      return;
    default:
      throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
  }
}

function parseBool(value: string, opt: string): boolean {
  const parsed = boolValues[value];
  if (parsed === undefined) throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
  return parsed;
}
