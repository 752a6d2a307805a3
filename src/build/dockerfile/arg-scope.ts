/**
 * Build args Docker accepts without an ARG instruction; they reach RUN's
 * environment but stay out of the image history unless declared.
 */
const PROXY_ARGS: ReadonlySet<string> = new Set([
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

export interface ArgScopeOptions {
  /** `--build-arg` values; null is a name given without a value (ignored, but counted as passed). */
  buildArgs?: Readonly<Record<string, string | null>>;
  /** Predefined values of the global scope: `platformArgs()` (TARGETPLATFORM, BUILDARCH, …). */
  automatic?: Readonly<Record<string, string>>;
}

interface Shared {
  buildArgs: ReadonlyMap<string, string | null>;
  automatic: ReadonlyMap<string, string>;
  referenced: Set<string>;
}

/**
 * ARG visibility as Docker scopes it. The global scope (ARGs before the
 * first FROM, plus the automatic platform args) serves FROM lines only; each
 * stage starts empty and sees an ARG from its declaration on. A value comes
 * from `--build-arg`, else the declaration's default, else (for a bare
 * `ARG name` in a stage) the global value of that name.
 *
 * Example: `ARG V=1` / `FROM img:$V` / `RUN echo $V` prints nothing: the
 * stage must say `ARG V` to see 1 (or the `--build-arg V=…` value).
 */
export class ArgScope {
  private readonly declared = new Map<string, string | undefined>();

  private constructor(
    private readonly shared: Shared,
    private readonly parent: ArgScope | undefined,
  ) {}

  /** The global scope of one build. */
  static global(options: ArgScopeOptions = {}): ArgScope {
    const buildArgs = new Map(Object.entries(options.buildArgs ?? {}));
    const automatic = new Map(Object.entries(options.automatic ?? {}));
    return new ArgScope({ buildArgs, automatic, referenced: new Set() }, undefined);
  }

  /** A fresh scope for a stage, sharing this build's args and usage record. */
  stage(): ArgScope {
    return new ArgScope(this.shared, this.root());
  }

  /** Records `ARG name[=default]`; the default must already be expanded. */
  declare(name: string, defaultValue?: string): void {
    this.declared.set(name, defaultValue);
    this.shared.referenced.add(name);
  }

  isDeclared(name: string): boolean {
    return this.declared.has(name);
  }

  /** The value `$name` has here, or undefined when it is not visible or has no value. */
  value(name: string): string | undefined {
    const passed = this.shared.buildArgs.get(name) ?? undefined;
    if (!this.declared.has(name)) {
      if (PROXY_ARGS.has(name)) return passed;
      if (this.parent === undefined && this.shared.automatic.has(name))
        return passed ?? this.shared.automatic.get(name);
      return undefined;
    }
    if (passed !== undefined) return passed;
    const own = this.declared.get(name);
    if (own !== undefined) return own;
    return this.parent ? this.parent.value(name) : this.shared.automatic.get(name);
  }

  /** Every visible arg that has a value, declared ones in order, then passed proxy args. */
  values(): Map<string, string> {
    const out = new Map<string, string>();
    const names = [...this.declared.keys(), ...PROXY_ARGS];
    if (this.parent === undefined) names.push(...this.shared.automatic.keys());
    for (const name of names) {
      const value = this.value(name);
      if (value !== undefined && !out.has(name)) out.set(name, value);
    }
    return out;
  }

  /**
   * The variables word expansion sees: ENV first, then args, so an ENV of
   * the same name wins over an ARG, as in Docker.
   */
  expansionEnv(env: Iterable<readonly [string, string]>): Map<string, string> {
    const out = new Map<string, string>(env);
    for (const [name, value] of this.values()) if (!out.has(name)) out.set(name, value);
    return out;
  }

  /**
   * `--build-arg` names no ARG declared, sorted; Docker warns
   * `[Warning] One or more build-args [a b] were not consumed`. Proxy and
   * automatic names are never reported.
   */
  unusedBuildArgs(): string[] {
    const { buildArgs, automatic, referenced } = this.shared;
    return [...buildArgs.keys()]
      .filter((name) => !referenced.has(name) && !PROXY_ARGS.has(name) && !automatic.has(name))
      .sort();
  }

  private root(): ArgScope {
    return this.parent?.root() ?? this;
  }
}

export interface PlatformParts {
  os: string;
  architecture: string;
  variant?: string;
}

/** BuildKit's automatic platform args for a target and a build platform. */
export function platformArgs(target: PlatformParts, build: PlatformParts): Record<string, string> {
  return { ...platformGroup('TARGET', target), ...platformGroup('BUILD', build) };
}

function platformGroup(prefix: string, p: PlatformParts): Record<string, string> {
  const variant = p.variant ?? '';
  const platform = [p.os, p.architecture, ...(variant === '' ? [] : [variant])].join('/');
  return {
    [`${prefix}PLATFORM`]: platform,
    [`${prefix}OS`]: p.os,
    [`${prefix}ARCH`]: p.architecture,
    [`${prefix}VARIANT`]: variant,
  };
}
