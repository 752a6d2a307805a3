/**
 * build/dockerignore — reads .dockerignore files and decides which context
 * paths they exclude, with Docker's rules (moby/patternmatcher): path-cleaned
 * patterns, `*` `?` `[...]` within a segment, `**` across segments, `!`
 * exceptions where the last matching pattern wins, and a parent directory's
 * match applying to everything below it. Pure string logic: no file access.
 *
 * Reference: https://docs.docker.com/build/concepts/context/#dockerignore-files
 */
export { parseDockerignore } from './ignore-file.js';
export { createIgnoreMatcher, type IgnoreMatcher, type IgnoreMatcherOptions } from './matcher.js';
