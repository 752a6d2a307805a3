/**
 * The parsed form of a Dockerfile. Every string an instruction carries is
 * the *unexpanded* source word (quotes and escapes still in place) unless a
 * field says otherwise: expansion needs the stage's ENV and ARG values, so it
 * belongs to evaluation (`expandWord`, `expandWords`, `ArgScope`).
 */

/** The escape character set by the `# escape=` directive. */
export type EscapeChar = '\\' | '`';

export interface Directives {
  escape: EscapeChar;
  /** `# syntax=` as written; berth has one frontend, so it is only reported. */
  syntax?: string;
}

export interface ParseWarning {
  line: number;
  message: string;
}

export interface Dockerfile {
  directives: Directives;
  /** ARG instructions before the first FROM; usable in FROM lines only. */
  globalArgs: ArgInstruction[];
  /** At least one stage, in file order. */
  stages: Stage[];
  warnings: ParseWarning[];
}

export interface Stage {
  /** 0-based position, usable as a `COPY --from=<index>` name. */
  index: number;
  /** The `AS` name, lower-cased as Docker does; absent when unnamed. */
  name?: string;
  /** The image or stage name after FROM, unexpanded (expand with global ARGs). */
  base: string;
  /** `--platform` as written, unexpanded. */
  platform?: string;
  line: number;
  original: string;
  instructions: Instruction[];
}

/** Fields every instruction has. */
export interface InstructionBase {
  /** 1-based line where the instruction starts. */
  line: number;
  /** 1-based last line, including continuation and heredoc lines. */
  endLine: number;
  /**
   * The instruction as Docker shows it in `Step N/M : …` and history: its
   * lines joined without the continuation escapes and comment lines,
   * heredoc bodies not included.
   */
  original: string;
}

/** RUN/CMD/ENTRYPOINT arguments: a JSON array (exec) or a string run by the shell. */
export type CommandLine = { form: 'exec'; argv: string[] } | { form: 'shell'; command: string };

/**
 * A here-document attached to RUN, COPY or ADD. `content` already has the
 * leading tabs of `<<-` removed (Docker does it before use) and ends with the
 * newline of its last line; `expand` is false when the delimiter was quoted.
 */
export interface Heredoc {
  name: string;
  content: string;
  expand: boolean;
  chomp: boolean;
  /** The file descriptor of `3<<EOF`; absent means stdin. */
  fd?: number;
}

export interface RunInstruction extends InstructionBase {
  kind: 'run';
  command: CommandLine;
  /** Heredocs named on the line, in order; only with the shell form. */
  heredocs: Heredoc[];
  /** `--mount=` values as written (BuildKit syntax); the classic builder has none. */
  mounts: string[];
  /** `--network=`: 'default' | 'none' | 'host'. */
  network?: string;
  /** `--security=`: 'sandbox' | 'insecure'. */
  security?: string;
}

export interface CmdInstruction extends InstructionBase {
  kind: 'cmd';
  command: CommandLine;
}

export interface EntrypointInstruction extends InstructionBase {
  kind: 'entrypoint';
  command: CommandLine;
}

/** One `key=value` of ENV or LABEL; both sides unexpanded, quotes kept. */
export interface KeyValue {
  key: string;
  value: string;
}

export interface EnvInstruction extends InstructionBase {
  kind: 'env';
  pairs: KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
  kind: 'label';
  pairs: KeyValue[];
}

/** One name of an ARG; `default` absent for `ARG name` (distinct from `ARG name=`). */
export interface ArgDeclaration {
  name: string;
  default?: string;
}

export interface ArgInstruction extends InstructionBase {
  kind: 'arg';
  args: ArgDeclaration[];
}

export interface ExposeInstruction extends InstructionBase {
  kind: 'expose';
  /** Words as written; expand each with `expandWords` (EXPOSE alone splits words). */
  ports: string[];
}

/** A COPY/ADD source: a context path (or URL for ADD), or an inline heredoc file. */
export type CopySource = { kind: 'path'; path: string } | { kind: 'heredoc'; heredoc: Heredoc };

interface CopyFields {
  sources: CopySource[];
  dest: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  /** `--exclude=` patterns, repeated flag. */
  exclude: string[];
}

export interface CopyInstruction extends InstructionBase, CopyFields {
  kind: 'copy';
  /** `--from=` stage name, stage index or image reference, unexpanded. */
  from?: string;
  parents: boolean;
}

export interface AddInstruction extends InstructionBase, CopyFields {
  kind: 'add';
  /** `--checksum=` for URL sources, e.g. `sha256:…`. */
  checksum?: string;
  keepGitDir: boolean;
}

export interface WorkdirInstruction extends InstructionBase {
  kind: 'workdir';
  path: string;
}

export interface UserInstruction extends InstructionBase {
  kind: 'user';
  user: string;
}

export interface VolumeInstruction extends InstructionBase {
  kind: 'volume';
  paths: string[];
}

export interface StopsignalInstruction extends InstructionBase {
  kind: 'stopsignal';
  signal: string;
}

/**
 * A health check in the image config's shape. `test` is `["NONE"]`,
 * `["CMD", ...argv]` or `["CMD-SHELL", command]`; durations are nanoseconds,
 * absent (Docker stores 0) when not given.
 */
export interface HealthConfig {
  test: string[];
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
}

export interface HealthcheckInstruction extends InstructionBase {
  kind: 'healthcheck';
  health: HealthConfig;
}

export interface ShellInstruction extends InstructionBase {
  kind: 'shell';
  shell: string[];
}

export interface OnbuildInstruction extends InstructionBase {
  kind: 'onbuild';
  /** The trigger as stored in the image config's `OnBuild` list. */
  expression: string;
  /** The trigger, parsed (never ONBUILD, FROM or MAINTAINER). */
  trigger: Instruction;
}

export interface MaintainerInstruction extends InstructionBase {
  kind: 'maintainer';
  /** Docker writes it to the image config's `Author`; deprecated. */
  name: string;
}

export type Instruction =
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | EnvInstruction
  | ArgInstruction
  | LabelInstruction
  | ExposeInstruction
  | CopyInstruction
  | AddInstruction
  | WorkdirInstruction
  | UserInstruction
  | VolumeInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | ShellInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

export type InstructionKind = Instruction['kind'];
