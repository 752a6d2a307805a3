/** The kinds of instruction flag Docker knows: `--x=v`, repeatable `--x=v`, `--x[=bool]`. */
export type FlagType = 'string' | 'strings' | 'bool';

export type FlagSpec = Readonly<Record<string, FlagType>>;

/** The flags of one instruction, checked against what the instruction accepts. */
export class Flags {
  private readonly strings = new Map<string, string[]>();
  private readonly bools = new Map<string, boolean>();

  /** Throws (plain Error, the caller adds the line) with Docker's wording. */
  constructor(args: readonly string[], spec: FlagSpec) {
    for (const arg of args) {
      if (arg === '--') break;
      if (!arg.startsWith('--')) throw new Error(`arg should start with -- : ${arg}`);
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const value = eq < 0 ? undefined : arg.slice(eq + 1);
      const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
      if (type === undefined) throw new Error(`unknown flag: ${name}`);
      this.set(name, type, value);
    }
  }

  string(name: string): string | undefined {
    return this.strings.get(name)?.at(-1);
  }

  list(name: string): string[] {
    return this.strings.get(name) ?? [];
  }

  bool(name: string): boolean {
    return this.bools.get(name) ?? false;
  }

  private set(name: string, type: FlagType, value: string | undefined): void {
    if (type !== 'strings' && (this.strings.has(name) || this.bools.has(name))) {
      throw new Error(`duplicate flag specified: ${name}`);
    }
    if (type === 'bool') {
      this.bools.set(name, parseBool(name, value));
      return;
    }
    if (value === undefined) throw new Error(`missing a value on flag: ${name}`);
    this.strings.set(name, [...(this.strings.get(name) ?? []), value]);
  }
}

function parseBool(name: string, value: string | undefined): boolean {
  if (value === '') throw new Error(`missing a value on flag: ${name}`);
  const lower = (value ?? 'true').toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new Error(`expecting boolean value for flag ${name}, not: ${value ?? ''}`);
}
