import type { CommandLine, EscapeChar, Heredoc, InstructionBase } from './types.js';
import { parseJsonArray } from './words.js';

/** Everything an instruction parser needs: the split line and where it came from. */
export interface InstructionSource {
  /** Lower-cased instruction name. */
  name: string;
  flags: string[];
  rest: string;
  base: InstructionBase;
  escape: EscapeChar;
  heredocs: Heredoc[];
  /** Records a non-fatal remark (deprecated syntax) against the instruction's line. */
  warn: (message: string) => void;
}

/** RUN/CMD/ENTRYPOINT arguments: a JSON string array, else the text for the shell. */
export function maybeJson(rest: string): CommandLine {
  const argv = parseJsonArray(rest);
  return argv === undefined ? { form: 'shell', command: rest } : { form: 'exec', argv };
}
