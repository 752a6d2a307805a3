/**
 * Token scopes of the distribution token spec: `repository:<path>:<actions>`.
 * A pull asks `repository:library/busybox:pull`; a push `...:pull,push`; a
 * cross-repository mount also `repository:<from>:pull`.
 */
export type Action = 'pull' | 'push';

export function repositoryScope(path: string, actions: readonly Action[]): string {
  return `repository:${path}:${actions.join(',')}`;
}

/**
 * One canonical string for a set of scopes, the key of the token cache:
 * scopes sorted, the same resource's actions merged, so `a:pull` + `a:push`
 * and `a:push,pull` are the same key.
 */
export function scopeKey(scopes: readonly string[]): string {
  return mergeScopes(scopes).join(' ');
}

/** Merges scopes on the same resource (`type:name`) into one with the union of actions, sorted. */
export function mergeScopes(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(':');
    if (last <= 0) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(',')) if (a) actions.add(a);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`).sort();
}
