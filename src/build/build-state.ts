/**
 * What a stage carries from one instruction to the next: the image made so
 * far, the config being built, the ARGs in scope and the variables
 * expansion sees. Docker's rules: ENV beats ARG of the same name; ARGs are
 * only visible after their declaration in the stage; a stage without PATH
 * in its environment gets Docker's default one.
 */
import type { ContainerDefaults, ImageConfig } from '../image/index.js';
import type { ArgScope, EscapeChar } from './dockerfile/index.js';
import type { BuildImage } from './deps.js';

/** Docker's PATH for a stage whose base sets none (moby `DefaultPathEnv` on Linux). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The shell of shell-form commands until SHELL changes it. */
const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

export interface StageState {
  /** The image the last step made (the base after FROM; null on scratch before any step). */
  image: BuildImage | null;
  /** The image config the next step starts from. */
  config: ImageConfig;
  /** The stage's ARG scope: what it declared so far, the build args and the global ARGs behind it. */
  args: ArgScope;
  /** CMD given in this stage (ENTRYPOINT then keeps it rather than clearing it). */
  cmdSet: boolean;
  escape: EscapeChar;
}

/** The runtime defaults of the config, created when absent. */
export function defaults(state: StageState): ContainerDefaults {
  state.config.config ??= {};
  return state.config.config;
}

/** A new stage on `base` (null: scratch), with PATH defaulted and ONBUILD cleared as Docker does. */
export function beginStage(
  base: BuildImage | null,
  platform: { architecture: string; os: string },
  options: { escape: EscapeChar; args: ArgScope },
): StageState {
  const { escape, args } = options;
  const config: ImageConfig = base
    ? structuredClone(base.config)
    : { architecture: platform.architecture, os: platform.os, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  const state: StageState = { image: base, config, args, cmdSet: false, escape };
  const env = (defaults(state).Env ??= []);
  if (!env.some((e) => e.startsWith('PATH='))) env.push(`PATH=${DEFAULT_PATH}`);
  delete state.config.container_config;
  delete state.config.container;
  return state;
}

/** ENV entries as a map, in order. */
function envMap(state: StageState): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of defaults(state).Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

/** What `$VAR` sees: ENV first (it wins), then the ARGs visible in the stage that have values. */
export function expansionEnv(state: StageState): Map<string, string> {
  return state.args.expansionEnv(envMap(state));
}

/** Sets (or replaces) one ENV entry, keeping the order Docker keeps. */
export function setEnv(state: StageState, key: string, value: string): void {
  const env = (defaults(state).Env ??= []);
  const at = env.findIndex((e) => e.startsWith(`${key}=`));
  if (at >= 0) env[at] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
}

/**
 * The ARGs a RUN step sees as environment, not shadowed by ENV: `history`
 * the declared ones, sorted by name as Docker's `|N K=V` prefix lists them;
 * `hidden` the proxy ARGs used undeclared, which stay out of history.
 */
export function runArgs(state: StageState): { history: string[]; hidden: string[] } {
  const env = envMap(state);
  const visible = [...state.args.values()]
    .filter(([k]) => !env.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs = (declared: boolean) =>
    visible.filter(([k]) => state.args.isDeclared(k) === declared).map(([k, v]) => `${k}=${v}`);
  return { history: pairs(true), hidden: pairs(false) };
}

/** The current shell (SHELL, or `/bin/sh -c`). */
export function shellOf(state: StageState): string[] {
  return [...(defaults(state).Shell ?? DEFAULT_SHELL)];
}

/**
 * A history `created_by` for a step that only changes metadata, as Docker's
 * classic builder writes it: the shell, then `#(nop) ` and the comment.
 */
export function nopCreatedBy(state: StageState, comment: string, spacing: 'double' | 'single' = 'double'): string {
  return [...shellOf(state), spacing === 'double' ? `#(nop)  ${comment}` : `#(nop) ${comment}`].join(' ');
}

/** Go's `%v` of a string slice (SHELL, VOLUME history): `[a b]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** Go's control-character escapes in a quoted rune literal. */
const RUNE_ESCAPES: Readonly<Record<number, string>> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r' };

/**
 * Go's `%q` of an integer: a quoted rune literal (`'\x02'`, `'A'`). Docker
 * formats HEALTHCHECK's retry count with it in history.
 */
export function goQuoteRune(n: number): string {
  if (n >= 0x20 && n < 0x7f)
    return n === 0x27 || n === 0x5c ? `'\\${String.fromCharCode(n)}'` : `'${String.fromCharCode(n)}'`;
  const escape = RUNE_ESCAPES[n];
  if (escape !== undefined) return `'\\${escape}'`;
  return n < 0x100 ? `'\\x${n.toString(16).padStart(2, '0')}'` : `'\\u${n.toString(16).padStart(4, '0')}'`;
}

/** Go's `%q` of a string slice, which Docker's history strings use: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(' ')}]`;
}
