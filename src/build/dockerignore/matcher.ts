import { invalidArgument } from '../../kernel/index.js';
import { cleanPath } from './clean-path.js';
import { compilePattern, parseClass, type Pattern } from './pattern.js';

export interface IgnoreMatcher {
  /**
   * Whether a context path (relative, `/`-separated) is excluded. Patterns
   * apply in order and the last one that matches the path or one of its
   * parent directories wins, so `!` exceptions re-include what earlier
   * patterns excluded.
   */
  matches(path: string): boolean;
  /**
   * Whether a walker can skip a directory without looking inside: it is
   * excluded and no exception could re-include anything below it.
   */
  canSkipDir(dir: string): boolean;
}

export interface IgnoreMatcherOptions {
  /**
   * Paths that are never excluded, such as the Dockerfile and .dockerignore,
   * which the daemon needs even when the patterns name them (Docker's CLI
   * adds a `!path` exception for them; here the names are taken literally).
   */
  keep?: readonly string[];
}

/** Compiles .dockerignore patterns (as `parseDockerignore` returns them). */
export function createIgnoreMatcher(patterns: readonly string[], options: IgnoreMatcherOptions = {}): IgnoreMatcher {
  const compiled = patterns.flatMap(compile);
  const kept = new Set((options.keep ?? []).map(normalise));
  const exceptions = compiled.filter((p) => p.exclusion);
  const matches = (path: string): boolean => {
    const clean = normalise(path);
    // The context root itself is never excluded, as in Docker.
    return clean !== '.' && !kept.has(clean) && matchesOrParentMatches(compiled, clean);
  };
  const canSkipDir = (dir: string): boolean => {
    const clean = normalise(dir);
    if (!matches(clean) || [...kept].some((k) => k.startsWith(`${clean}/`))) return false;
    const parts = clean.split('/');
    return !exceptions.some((p) => couldMatchBelow(p, parts));
  };
  return { matches, canSkipDir };
}

function compile(raw: string): Pattern[] {
  let pattern = raw.trim();
  if (pattern === '') return [];
  pattern = cleanPath(pattern);
  const exclusion = pattern.startsWith('!');
  if (exclusion) {
    if (pattern === '!') throw invalidArgument('illegal exclusion pattern: "!"');
    pattern = pattern.slice(1);
  }
  return [compilePattern(pattern, exclusion)];
}

function normalise(path: string): string {
  const clean = cleanPath(path);
  return clean.length > 1 && clean.startsWith('/') ? clean.slice(1) : clean;
}

function matchesOrParentMatches(patterns: readonly Pattern[], path: string): boolean {
  const parents = path.split('/').slice(0, -1);
  let matched = false;
  for (const pattern of patterns) {
    // An inclusion cannot change an already excluded path, nor an exception an included one.
    if (pattern.exclusion !== matched) continue;
    let match = pattern.test(path);
    for (let i = 1; !match && i <= parents.length; i++) match = pattern.test(parents.slice(0, i).join('/'));
    if (match) matched = !pattern.exclusion;
  }
  return matched;
}

/**
 * Conservatively, whether an exception pattern could match a path strictly
 * below `dir`: it has `**`, or its leading segments match the directory's
 * and it has more of them.
 */
function couldMatchBelow(pattern: Pattern, dirParts: readonly string[]): boolean {
  const segments = pattern.source.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (segment.includes('**')) return true;
    const part = dirParts[i];
    if (part === undefined) return true;
    if (!segmentRegExp(segment).test(part)) return false;
  }
  return false;
}

function segmentRegExp(segment: string): RegExp {
  const chars = Array.from(segment);
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const parsed = parseClass(chars, i + 1);
      re += parsed?.regexp ?? '\\[';
      i = parsed?.end ?? i;
    } else {
      const lit = ch === '\\' && i + 1 < chars.length ? (chars[++i] ?? '') : ch;
      re += /[\\^$.*+?()[\]{}|/]/u.test(lit) ? `\\${lit}` : lit;
    }
  }
  return new RegExp(`^${re}$`, 'u');
}
