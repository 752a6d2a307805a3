import type { RegistryClient } from '../../registry/index.js';
import type { ImageDeps } from './deps.js';

/** What pull and push need beyond the image store: a registry client and how much to do at once. */
export interface DistributionDeps extends ImageDeps {
  registry: RegistryClient;
  maxConcurrentDownloads: number;
  maxConcurrentUploads: number;
}

/**
 * Runs `task` over `items` with at most `limit` running at once; `onQueued`
 * is told of each item that has to wait for a free slot (Docker's "Waiting").
 * Every task is settled before this returns or throws, so no transfer is
 * left running behind a failure; the first failure is the one thrown.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
  onQueued?: (item: T) => void,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  const width = Math.max(1, Math.min(limit, items.length));
  items.slice(width).forEach((item) => onQueued?.(item));
  await Promise.all(Array.from({ length: width }, worker));
  if (errors.length > 0) throw errors[0];
}

/** Calls `emit` at most every `ms` milliseconds, plus always for the last value. */
export function throttled(ms: number, emit: (value: number) => void): (value: number, last?: boolean) => void {
  let at = 0;
  return (value, last = false) => {
    const now = Date.now();
    if (!last && now - at < ms) return;
    at = now;
    emit(value);
  };
}
