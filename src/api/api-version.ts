/**
 * The Engine API versions berth serves. `API_VERSION` is advertised in the
 * `Api-Version` header and by `/version`; clients negotiate
 * min(their version, ours), so it is also the version whose request and
 * response shapes the handlers implement.
 *
 * Why 1.47 (Docker 27.x): newer clients negotiate down to it and older ones
 * (Docker 20.10 speaks 1.41) keep their own; the Go client of Docker 29 will
 * not negotiate below 1.44, so it must be at least that. Advertising the CLI's own 1.50 would
 * promise the 1.48–1.50 additions (multi-platform image details such as
 * manifest descriptors and `platform` parameters) that the image handlers do
 * not produce yet. Raise it together with the handlers, never alone.
 */
export const API_VERSION = '1.47';

/** The oldest version accepted in a `/vX.Y/` prefix (Docker 1.12's API). */
export const MIN_API_VERSION = '1.24';

/**
 * Compares dotted API versions numerically, part by part, a missing part
 * counting as 0 ("1.9" < "1.10"). Returns <0, 0 or >0.
 */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (Number.parseInt(pa[i] ?? '0', 10) || 0) - (Number.parseInt(pb[i] ?? '0', 10) || 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** True when `version` is `min` or newer. */
export function apiVersionAtLeast(version: string, min: string): boolean {
  return compareApiVersions(version, min) >= 0;
}
