/**
 * How Docker's parser cuts an instruction's text into its parts before any
 * expansion: the instruction name, the leading `--flags`, and the arguments
 * as one string, whitespace-separated words, quote-aware words or JSON.
 */

export interface SplitLine {
  name: string;
  flags: string[];
  rest: string;
}

/** Unicode whitespace, as Go's unicode.IsSpace. */
const SPACE = /\s/u;

/** Name, flags and the remaining arguments (trimmed) of an instruction line. */
export function splitCommand(line: string): SplitLine {
  const trimmed = line.trim();
  const match = /^(\S+)(?:\s+([\s\S]*))?$/u.exec(trimmed);
  const name = match?.[1] ?? '';
  const { rest, flags } = extractFlags(match?.[2] ?? '');
  return { name, flags, rest: rest.trim() };
}

/**
 * Leading words that start with `--` are flags; quotes inside a flag group
 * words and are removed, a backslash escapes the next character, and a bare
 * `--` ends the flags.
 */
function extractFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < line.length && SPACE.test(line[pos] ?? '')) pos++;
    if (pos >= line.length) return { rest: '', flags };
    if (!line.startsWith('--', pos) || pos + 2 > line.length) return { rest: line.slice(pos), flags };
    const { word, end, quoted } = readFlagWord(line, pos);
    if (word === '--' && end < line.length) return { rest: line.slice(end), flags };
    if (word !== '--' && (quoted || word !== '')) flags.push(word);
    pos = end;
  }
}

function readFlagWord(line: string, start: number): { word: string; end: number; quoted: boolean } {
  let word = '';
  let quote = '';
  let quoted = false;
  let pos = start;
  for (; pos < line.length; pos++) {
    let ch = line[pos] ?? '';
    if (quote === '' && SPACE.test(ch)) break;
    if (quote === '' && (ch === '"' || ch === "'")) {
      quote = ch;
      quoted = true;
      continue;
    }
    if (quote !== '' && ch === quote) {
      quote = '';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === line.length) continue;
      ch = line[++pos] ?? '';
    }
    word += ch;
  }
  return { word, end: pos, quoted };
}

/** Arguments split at runs of blanks, no quote handling (COPY, ADD, VOLUME, FROM, EXPOSE). */
export function splitWhitespace(rest: string): string[] {
  if (rest === '') return [];
  return rest.split(/[\t\v\f\r ]+/u);
}

/**
 * Words separated by unquoted whitespace; quotes and escapes stay in the
 * words for the expansion step to interpret (ENV, LABEL, ARG).
 */
export function parseWords(rest: string, escape: string): string[] {
  const words: string[] = [];
  const chars = Array.from(rest);
  let word = '';
  let quote = '';
  let blankOk = false;
  const flush = (): void => {
    if (blankOk || word !== '') words.push(word);
    word = '';
    blankOk = false;
  };
  for (let i = 0; i < chars.length; i++) {
    let ch = chars[i] ?? '';
    if (quote === '') {
      if (SPACE.test(ch)) {
        if (word !== '' || blankOk) flush();
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
      } else if (ch === escape) {
        // An escape character at the very end is dropped.
        if (i + 1 === chars.length) continue;
        word += ch;
        ch = chars[++i] ?? '';
      }
      word += ch;
      continue;
    }
    if (ch === quote) quote = '';
    else if (ch === escape && quote !== "'") {
      if (i + 1 === chars.length) continue;
      word += ch;
      ch = chars[++i] ?? '';
    }
    word += ch;
  }
  if (word !== '' || blankOk) flush();
  return words;
}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/**
 * The JSON (exec) form: a JSON array of strings. Undefined when the text is
 * not a JSON array at all, which makes Docker fall back to the shell form;
 * an array with a non-string member is an error.
 */
export function parseJsonArray(rest: string): string[] | undefined {
  const text = rest.replace(/^\s+/u, '');
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((item): item is string => typeof item === 'string')) throw new Error(NOT_STRING_ARRAY);
  return value;
}
