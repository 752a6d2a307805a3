/**
 * In-flight work is protected, not guessed at (STYLE.md §1.8): a pull, load
 * or build holds a lease naming the blobs and snapshots it is making, and GC
 * spares anything leased. Leases live in memory only: a daemon restart ends
 * every operation that held one, and startup GC then sees only finished work.
 */
export interface Lease {
  add(key: string): void;
  release(): void;
}

export class Leases {
  private readonly held = new Map<string, number>();

  acquire(): Lease {
    const keys: string[] = [];
    let released = false;
    return {
      add: (key) => {
        if (released) return;
        keys.push(key);
        this.held.set(key, (this.held.get(key) ?? 0) + 1);
      },
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) {
          const n = (this.held.get(key) ?? 1) - 1;
          if (n === 0) this.held.delete(key);
          else this.held.set(key, n);
        }
      },
    };
  }

  isLeased(key: string): boolean {
    return this.held.has(key);
  }
}
