import { Transform, type TransformCallback } from 'node:stream';
import { invalidArgument } from './errors.js';

/** Docker's default detach sequence: ctrl-p, ctrl-q. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** The control characters `ctrl-<x>` can name besides letters, with their byte values. */
const CTRL_SYMBOLS: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };

/**
 * Parses a detach-key spec the way Docker does: comma-separated keys, each a
 * single character or `ctrl-<a-z|@|[|\|]|^|_>`. An empty spec disables
 * detaching (an empty sequence).
 */
export function parseDetachKeys(spec: string): Buffer {
  if (spec === '') return Buffer.alloc(0);
  const bytes = spec.split(',').map((key) => {
    const k = key.trim();
    if (k.length === 1) return k.charCodeAt(0);
    const m = /^ctrl-(.)$/i.exec(k);
    const c = m?.[1]?.toLowerCase();
    if (c !== undefined && c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
    const symbol = c === undefined ? undefined : CTRL_SYMBOLS[c];
    if (symbol === undefined) throw invalidArgument(`Invalid detach keys (${spec}) provided`);
    return symbol;
  });
  return Buffer.from(bytes);
}

/**
 * Passes the client's input through until it contains the detach sequence,
 * then emits `detach` and drops everything after. Bytes that might start the
 * sequence are held back until they either complete it (and are dropped) or
 * stop matching (and go through), so a lone ctrl-p still reaches the
 * container once the next key shows it was not a detach.
 */
export class DetachKeyWatcher extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.detached || this.keys.length === 0) return done(null, this.detached ? undefined : chunk);
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.detached = true;
          if (out.length > 0) this.push(Buffer.from(out));
          this.emit('detach');
          return done();
        }
        continue;
      }
      // A broken partial match: the held bytes were input after all.
      out.push(...this.keys.subarray(0, this.matched));
      this.matched = 0;
      if (byte === this.keys[0]) this.matched = 1;
      else out.push(byte);
    }
    done(null, out.length > 0 ? Buffer.from(out) : undefined);
  }

  /** Input that ends mid-sequence was not a detach: the held bytes go through. */
  override _flush(done: TransformCallback): void {
    done(null, this.detached || this.matched === 0 ? undefined : this.keys.subarray(0, this.matched));
  }
}
