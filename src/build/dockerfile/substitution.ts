/**
 * The `${name<operator>word}` forms of Docker's shell lexer, after the
 * lexer has read and expanded the word: defaults and alternatives
 * (`-`, `:-`, `+`, `:+`), required values (`?`, `:?`), prefix/suffix removal
 * (`#`, `##`, `%`, `%%`) and replacement (`/`, `//`), as in POSIX sh.
 */
export interface Substitution {
  name: string;
  operator: string;
  /** The variable's value, undefined when it is not set. */
  value: string | undefined;
  word: string;
  /** For `/` and `//`: the text that replaces a match. */
  replacement?: string;
}

export type SubstitutionResult = { value: string; error?: undefined } | { error: string };

export function substitute(sub: Substitution): SubstitutionResult {
  try {
    return evaluate(sub);
  } catch (e: unknown) {
    if (e instanceof PatternError) return { error: e.message };
    throw e;
  }
}

function evaluate(sub: Substitution): SubstitutionResult {
  const { value, word } = sub;
  switch (sub.operator) {
    case '-':
      return { value: value === undefined ? word : value };
    case ':-':
      return { value: value === undefined || value === '' ? word : value };
    case '+':
      return { value: value === undefined ? '' : word };
    case ':+':
      return { value: value === undefined || value === '' ? '' : word };
    case '?':
    case ':?':
      return required(sub);
    case '#':
    case '##':
      return { value: removePrefix(value ?? '', word, sub.operator === '##') };
    case '%':
    case '%%':
      return { value: removeSuffix(value ?? '', word, sub.operator === '%%') };
    default:
      return { value: replace(value ?? '', word, sub.replacement ?? '', sub.operator === '//') };
  }
}

function required({ name, operator, value, word }: Substitution): SubstitutionResult {
  if (value === undefined) return { error: `${name}: ${word || 'is not allowed to be unset'}` };
  if (value === '' && operator === ':?') return { error: `${name}: ${word || 'is not allowed to be empty'}` };
  return { value };
}

function removePrefix(value: string, pattern: string, longest: boolean): string {
  const re = patternRegExp(pattern);
  const chars = Array.from(value);
  for (let i = 0; i <= chars.length; i++) {
    const n = longest ? chars.length - i : i;
    if (re.test(chars.slice(0, n).join(''))) return chars.slice(n).join('');
  }
  return value;
}

function removeSuffix(value: string, pattern: string, longest: boolean): string {
  const re = patternRegExp(pattern);
  const chars = Array.from(value);
  for (let i = 0; i <= chars.length; i++) {
    const n = longest ? i : chars.length - i;
    if (re.test(chars.slice(n).join(''))) return chars.slice(0, n).join('');
  }
  return value;
}

/**
 * Replaces the longest match at the earliest position (every match for
 * `//`). An empty pattern matches the empty string, as Docker's regexp does:
 * at the start, or between every character for `//`.
 */
function replace(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = patternRegExp(pattern);
  const chars = Array.from(value);
  let out = '';
  let i = 0;
  for (let done = false; i <= chars.length;) {
    const end = done ? -1 : longestMatchFrom(chars, i, re);
    if (end >= i) {
      out += replacement;
      done = !all;
      if (end > i) {
        i = end;
        continue;
      }
    }
    if (i < chars.length) out += chars[i] ?? '';
    i++;
  }
  return out;
}

function longestMatchFrom(chars: string[], start: number, re: RegExp): number {
  for (let end = chars.length; end >= start; end--) {
    if (re.test(chars.slice(start, end).join(''))) return end;
  }
  return -1;
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/u;

/**
 * A substitution pattern as an anchored regular expression. As in Docker:
 * `*` and `?` are wildcards, `\*`, `\?` and `\\` literal, `\}` and `\/` the
 * plain characters (escaped only to get past the `${}` syntax), any other
 * escape an error; there are no bracket expressions.
 */
function patternRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new PatternError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${next ?? ''}'`);
      }
      source += `\\${next}`;
      i++;
    } else source += REGEXP_SYNTAX.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^(?:${source})$`, 'su');
}

/** A malformed substitution pattern; the lexer reports it with the word. */
class PatternError extends Error {}
