import type { Container } from './types.js';

/** `POST /containers/{id}/wait` conditions. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

interface Waiter {
  condition: WaitCondition;
  resolve: (c: Container) => void;
}

/** Callers waiting for a container to exit or go away. */
export class Waiters {
  private readonly byId = new Map<string, Set<Waiter>>();

  /**
   * Resolves with the container as it was when the condition was met; a
   * caller that goes away first (`signal`) is forgotten and rejected.
   */
  wait(c: Container, condition: WaitCondition, signal?: AbortSignal): Promise<Container> {
    const running = c.state.status === 'running' || c.state.status === 'paused' || c.state.status === 'restarting';
    if (condition === 'not-running' && !running) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const set = this.byId.get(c.id) ?? new Set<Waiter>();
      const onAbort = () => {
        set.delete(waiter);
        if (set.size === 0 && this.byId.get(c.id) === set) this.byId.delete(c.id);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        condition,
        resolve: (done) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(done);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(waiter);
      this.byId.set(c.id, set);
    });
  }

  exited(c: Container): void {
    this.settle(c, (w) => w.condition !== 'removed');
  }

  removed(c: Container): void {
    this.settle(c, () => true);
  }

  private settle(c: Container, matches: (w: Waiter) => boolean): void {
    const set = this.byId.get(c.id);
    if (!set) return;
    for (const w of [...set]) {
      if (!matches(w)) continue;
      set.delete(w);
      w.resolve(c);
    }
    if (set.size === 0) this.byId.delete(c.id);
  }
}
