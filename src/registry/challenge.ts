/**
 * An authentication challenge from `WWW-Authenticate` (RFC 7235 §2.1): a
 * scheme and its parameters. Registries send `Basic realm="..."` or
 * `Bearer realm="...",service="...",scope="..."` (the distribution token
 * spec); parameter names are case-insensitive, so they are kept lower-cased.
 */
export interface Challenge {
  /** Lower-cased: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses one or more `WWW-Authenticate` header values. Quoted strings may
 * hold commas and backslash escapes; a new challenge starts where a token is
 * followed by a space instead of `=`. Malformed trailing input is dropped.
 */
export function parseChallenges(headers: string | readonly string[] | undefined): Challenge[] {
  if (headers === undefined) return [];
  const values = typeof headers === 'string' ? [headers] : headers;
  return values.flatMap(parseHeader);
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

function parseHeader(header: string): Challenge[] {
  const out: Challenge[] = [];
  let rest = header;
  let current: Challenge | undefined;
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '');
    const token = TOKEN_RE.exec(rest)?.[0];
    if (!token) break;
    rest = rest.slice(token.length);
    const afterSpaces = rest.replace(/^\s+/, '');
    if (afterSpaces.startsWith('=') && current) {
      const [value, remaining] = readValue(afterSpaces.slice(1).replace(/^\s+/, ''));
      current.params[token.toLowerCase()] = value;
      rest = remaining;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
      rest = afterSpaces;
    }
  }
  return out;
}

/** Reads a token or a quoted string; returns the value and what follows it. */
function readValue(s: string): [string, string] {
  if (!s.startsWith('"')) {
    const token = TOKEN_RE.exec(s)?.[0] ?? '';
    return [token, s.slice(token.length)];
  }
  let value = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) value += s[++i];
    else if (c === '"') return [value, s.slice(i + 1)];
    else value += c;
  }
  return [value, ''];
}
