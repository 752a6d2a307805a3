/**
 * COPY/ADD source patterns: shell-style wildcards matched against context
 * paths one component at a time, as Go's `filepath.Match` (which Docker's
 * classic builder uses): `*` and `?` never match `/`, `[...]` classes with
 * ranges and `^`/`!` negation, `\` escapes the next character.
 */

/** Whether `pattern` has wildcards at all (a plain path is looked up, not matched). */
export function hasWildcards(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Does the whole of `path` match `pattern`? Both relative, `/`-separated. */
export function matchPath(pattern: string, path: string): boolean {
  const pp = pattern.split('/');
  const parts = path.split('/');
  if (pp.length !== parts.length) return false;
  return pp.every((p, i) => matchComponent(p, parts[i]!));
}

function matchComponent(pattern: string, name: string): boolean {
  return matchFrom(pattern, 0, name, 0);
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      for (let k = s.length; k >= si; k--) if (matchFrom(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, pi);
      if (!matchClass(p.slice(pi + 1, end), s[si]!)) return false;
      pi = end + 1;
      si++;
      continue;
    }
    const literal = c === '\\' && pi + 1 < p.length ? p[++pi]! : c;
    if (literal !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^' || p[i] === '!') i++;
  if (p[i] === ']') i++;
  while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1;
  return i;
}

function matchClass(body: string, ch: string): boolean {
  let negate = false;
  let i = 0;
  if (body[0] === '^' || body[0] === '!') {
    negate = true;
    i = 1;
  }
  let found = false;
  while (i < body.length) {
    let lo = body[i]!;
    if (lo === '\\') lo = body[++i] ?? '';
    i++;
    let hi = lo;
    if (body[i] === '-' && i + 1 < body.length) {
      hi = body[i + 1] === '\\' ? (body[i + 2] ?? '') : body[i + 1]!;
      i += body[i + 1] === '\\' ? 3 : 2;
    }
    if (ch >= lo && ch <= hi) found = true;
  }
  return found !== negate;
}
