import type { ExcludeFn } from './copy-sources.js';
import { createIgnoreMatcher, parseDockerignore } from './dockerignore/index.js';
import { DOCKERIGNORE_FILE } from './context.js';

/**
 * The context paths `.dockerignore` excludes, as a predicate. The docker
 * CLI already leaves them out of the tar it sends; the daemon applies the
 * file again, as dockerd does, for clients that do not (curl, SDKs). A
 * directory counts as excluded only when no `!` exception could re-include
 * something below it; its excluded children are then skipped one by one.
 */
export function excludeFromDockerignore(text: string, dockerfile: string): ExcludeFn {
  if (text.trim() === '') return () => false;
  const matcher = createIgnoreMatcher(parseDockerignore(text), { keep: [dockerfile, DOCKERIGNORE_FILE] });
  return (rel, isDir = false) => (isDir ? matcher.canSkipDir(rel) : matcher.matches(rel));
}
