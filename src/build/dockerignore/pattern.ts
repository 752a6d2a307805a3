import { invalidArgument } from '../../kernel/index.js';

/**
 * One .dockerignore pattern compiled the way Docker's patternmatcher does:
 * `*` and `?` stay inside one path segment, `**` crosses segments (`**\/x`
 * also matches `x`, a trailing `**` everything below), `[...]` is a
 * character class (`^` negates), `\` escapes the next character. A pattern
 * without wildcards is compared as a plain string.
 *
 * Where Docker hands the translated text to Go's regexp unchecked (an
 * escaped letter such as `\d` becomes a regexp class there, a `*` inside
 * `[...]` is expanded), berth takes the character literally.
 */
export interface Pattern {
  /** The pattern as given (cleaned), without its `!`. */
  readonly source: string;
  readonly exclusion: boolean;
  /** Whether the whole relative path matches (not its parents). */
  test(path: string): boolean;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

export function compilePattern(source: string, exclusion: boolean): Pattern {
  validateGlob(source);
  const { type, regexp } = translate(source);
  const test = (path: string): boolean => {
    switch (type) {
      case 'exact':
        return path === source;
      case 'prefix':
        return path.startsWith(source.slice(0, -2));
      case 'suffix': {
        const suffix = source.slice(2);
        return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
      }
      default:
        return regexp.test(path);
    }
  };
  return { source, exclusion, test };
}

/** Go filepath.Match's syntax rules: a bad pattern is refused up front. */
function validateGlob(source: string): void {
  const chars = Array.from(source);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      if (++i >= chars.length) throw badPattern(source);
    } else if (ch === '[') {
      const parsed = parseClass(chars, i + 1);
      if (parsed === undefined) throw badPattern(source);
      i = parsed.end;
    }
  }
}

function badPattern(source: string): Error {
  return invalidArgument(`invalid .dockerignore pattern "${source}": syntax error in pattern`);
}

/** `[...]` starting after the `[`: the regexp class and the index of the closing `]`, or undefined if malformed. */
export function parseClass(chars: string[], start: number): { regexp: string; end: number } | undefined {
  let i = start;
  let negate = false;
  if (chars[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  for (let count = 0; ; count++) {
    if (chars[i] === ']' && count > 0) return { regexp: `[${negate ? '^' : ''}${body}]`, end: i };
    const lo = classChar(chars, i);
    if (lo === undefined) return undefined;
    i = lo.next;
    body += codePoint(lo.ch);
    if (chars[i] === '-') {
      const hi = classChar(chars, i + 1);
      if (hi === undefined) return undefined;
      i = hi.next;
      // Go accepts a reversed range and it matches nothing; JS would throw.
      body =
        (lo.ch.codePointAt(0) ?? 0) > (hi.ch.codePointAt(0) ?? 0)
          ? body.slice(0, -codePoint(lo.ch).length)
          : `${body}-${codePoint(hi.ch)}`;
    }
    if (i >= chars.length) return undefined;
  }
}

function classChar(chars: string[], i: number): { ch: string; next: number } | undefined {
  const ch = chars[i];
  if (ch === undefined || ch === '-' || ch === ']') return undefined;
  if (ch !== '\\') return { ch, next: i + 1 };
  const escaped = chars[i + 1];
  return escaped === undefined ? undefined : { ch: escaped, next: i + 2 };
}

function codePoint(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/u;

function literal(ch: string): string {
  return REGEXP_SYNTAX.test(ch) ? `\\${ch}` : ch;
}

/** Docker's pattern-to-regexp walk, which also decides the cheaper match types. */
function translate(source: string): { type: MatchType; regexp: RegExp } {
  const chars = Array.from(source);
  let type: MatchType = 'exact';
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*' && chars[i + 1] === '*') {
      const first = i === 0;
      i++;
      if (chars[i + 1] === '/') i++;
      if (i + 1 >= chars.length) {
        if (type === 'exact') type = 'prefix';
        else {
          re += '.*';
          type = 'regexp';
        }
      } else {
        re += '(.*/)?';
        type = 'regexp';
      }
      if (first) type = 'suffix';
    } else if (ch === '*' || ch === '?') {
      re += ch === '*' ? '[^/]*' : '[^/]';
      type = 'regexp';
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += literal(chars[++i] ?? '');
        type = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[') {
      const parsed = parseClass(chars, i + 1);
      re += parsed?.regexp ?? '\\[';
      i = parsed?.end ?? i;
      type = 'regexp';
    } else {
      re += literal(ch);
    }
  }
  return { type, regexp: new RegExp(`^${re}$`, 'u') };
}
