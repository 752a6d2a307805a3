import { errorMessage, invalidArgument } from '../../kernel/index.js';
import { Flags } from './flags.js';
import { heredocsFromLine } from './heredoc.js';
import { LineScanner, parseError, type LogicalLine } from './lines.js';
import { parseInstruction } from './instructions.js';
import type { ArgInstruction, Dockerfile, Heredoc, Instruction, Stage } from './types.js';
import { parseJsonArray, splitCommand, splitWhitespace, type SplitLine } from './words.js';

/** Docker's rule for `FROM … AS name`. */
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/u;
/** Instructions whose shell-form line may open heredocs. */
const HEREDOC_KINDS = new Set(['run', 'copy', 'add']);

/**
 * Parses a Dockerfile into stages. Throws invalid-argument naming the line
 * (`Dockerfile parse error line 7: unknown instruction: FOO`) for a syntax
 * error, an unknown instruction, bad flags or arguments, an instruction
 * before the first FROM other than ARG, or a file without instructions.
 */
export function parseDockerfile(text: string): Dockerfile {
  const scanner = new LineScanner(text);
  const globalArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  for (let logical = scanner.nextLogicalLine(); logical; logical = scanner.nextLogicalLine()) {
    const split = splitCommand(logical.text);
    const name = split.name.toLowerCase();
    const at = logical.line;
    try {
      if (name === 'from') {
        stages.push(parseFrom(split, logical, stages));
        continue;
      }
      const heredocs = readHeredocs(scanner, split, logical);
      const instruction = parseInstruction({
        name,
        flags: split.flags,
        rest: split.rest,
        base: { line: logical.line, endLine: scanner.lineNumber, original: logical.text },
        escape: scanner.directives.escape,
        heredocs,
        warn: (message) => scanner.warnings.push({ line: at, message }),
      });
      addInstruction(instruction, stages, globalArgs);
    } catch (e: unknown) {
      throw parseError(at, errorMessage(e));
    }
  }
  if (stages.length === 0 && globalArgs.length === 0) throw invalidArgument('the Dockerfile cannot be empty');
  if (stages.length === 0) throw invalidArgument('the Dockerfile contains no stages to build: add a FROM');
  return { directives: scanner.directives, globalArgs, stages, warnings: scanner.warnings };
}

/**
 * An ONBUILD trigger stored in a base image's config (`RUN make`), parsed
 * as the instruction it names, for a build FROM that image. Its line fields
 * do not refer to the Dockerfile being built.
 */
export function parseOnbuildTrigger(expression: string): Instruction {
  const PREFIX = /^Dockerfile parse error line \d+: /u;
  try {
    const [onbuild, ...rest] = parseDockerfile(`FROM scratch\nONBUILD ${expression}\n`).stages[0]?.instructions ?? [];
    if (onbuild?.kind !== 'onbuild' || rest.length > 0) throw new Error('not a single instruction');
    return onbuild.trigger;
  } catch (e: unknown) {
    throw invalidArgument(`invalid ONBUILD trigger "${expression}": ${errorMessage(e).replace(PREFIX, '')}`);
  }
}

function addInstruction(instruction: Instruction, stages: Stage[], globalArgs: ArgInstruction[]): void {
  const stage = stages.at(-1);
  if (stage) stage.instructions.push(instruction);
  else if (instruction.kind === 'arg') globalArgs.push(instruction);
  else throw new Error('no build stage in current context (the first instruction must be FROM, after any ARGs)');
}

function parseFrom(split: SplitLine, logical: LogicalLine, stages: Stage[]): Stage {
  const flags = new Flags(split.flags, { platform: 'string' });
  const args = splitWhitespace(split.rest);
  const stage: Stage = {
    index: stages.length,
    base: args[0] ?? '',
    line: logical.line,
    original: logical.text.trim(),
    instructions: [],
  };
  if (args.length === 3 && (args[1] ?? '').toLowerCase() === 'as') {
    const name = (args[2] ?? '').toLowerCase();
    if (!STAGE_NAME.test(name)) {
      throw new Error(
        `invalid name for build stage: "${args[2] ?? ''}", name can't start with a number or contain symbols`,
      );
    }
    if (stages.some((s) => s.name === name)) throw new Error(`duplicate stage name "${name}"`);
    stage.name = name;
  } else if (args.length !== 1) {
    throw new Error('FROM requires either one or three arguments');
  }
  const platform = flags.string('platform');
  if (platform !== undefined) stage.platform = platform;
  return stage;
}

/** The bodies of the heredocs a RUN/COPY/ADD line (or its ONBUILD form) opens, read off the scanner. */
function readHeredocs(scanner: LineScanner, split: SplitLine, logical: LogicalLine): Heredoc[] {
  if (!logical.text.includes('<<') || !canContainHeredoc(split)) return [];
  return heredocsFromLine(logical.text).map((marker) => {
    const content = scanner.readHeredoc(marker.name, marker.chomp);
    if (content === undefined) throw new Error('unterminated heredoc');
    return { ...marker, content };
  });
}

function canContainHeredoc(split: SplitLine): boolean {
  const name = split.name.toLowerCase();
  if (name === 'onbuild') return canContainHeredoc(splitCommand(split.rest));
  if (!HEREDOC_KINDS.has(name)) return false;
  try {
    return parseJsonArray(split.rest) === undefined;
  } catch {
    return false;
  }
}
