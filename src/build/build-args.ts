/**
 * `--build-arg` values and which of them the Dockerfile used. A value is
 * consumed when an ARG of that name is declared (globally or in a stage);
 * Docker's predefined proxy ARGs are usable without a declaration and never
 * reported unused. A build arg given without a value (`--build-arg X`, null
 * on the wire) takes X from the client's environment, which the CLI already
 * resolved; null here means "not set".
 */

/** Docker's predefined ARGs: usable in RUN without an ARG line, and left out of history. */
const PREDEFINED_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
]);

export class BuildArgs {
  private readonly used = new Set<string>();
  /** Values of the global ARGs (before the first FROM). */
  private readonly globals = new Map<string, string | undefined>();

  constructor(private readonly values: Readonly<Record<string, string | null>>) {}

  /** The value given for `name`, marking it used; undefined when none was given. */
  consume(name: string): string | undefined {
    if (!Object.hasOwn(this.values, name)) return undefined;
    this.used.add(name);
    return this.values[name] ?? undefined;
  }

  declareGlobal(name: string, value: string | undefined): void {
    this.globals.set(name, value);
  }

  /** A global ARG's value: what a stage's `ARG name` without default inherits. */
  global(name: string): string | undefined {
    return this.globals.get(name);
  }

  /** Predefined ARGs given with a value: RUN sees them as environment. */
  predefined(): string[] {
    return Object.entries(this.values)
      .filter((e): e is [string, string] => PREDEFINED_ARGS.has(e[0]) && e[1] !== null)
      .map(([k, v]) => `${k}=${v}`);
  }

  /** Docker's warning for values no ARG declared, or undefined when every one was used. */
  unusedWarning(): string | undefined {
    const unused = Object.keys(this.values)
      .filter((k) => !this.used.has(k) && !PREDEFINED_ARGS.has(k))
      .sort();
    if (unused.length === 0) return undefined;
    return `[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`;
  }
}
