import { cleanPath } from './clean-path.js';

const UTF8_BOM = '\uFEFF';

/**
 * The patterns of a .dockerignore file, normalised as Docker does: lines
 * starting with `#` are comments (only in the first column), surrounding
 * whitespace goes, `!` marks an exception, each pattern is path-cleaned and
 * made relative (`/foo/` → `foo`).
 */
export function parseDockerignore(text: string): string[] {
  const body = text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text;
  const patterns: string[] = [];
  for (const line of body.split(/\r?\n/u)) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exception ? `!${pattern}` : pattern);
  }
  return patterns;
}
