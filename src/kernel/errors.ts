/**
 * The closed set of error kinds berth uses. Each kind maps to one HTTP status
 * in `api/errors.ts`; nothing else chooses a status.
 */
export type ErrorKind =
  | 'not-found'
  | 'already-exists'
  | 'invalid-argument'
  | 'conflict'
  | 'failed-precondition'
  | 'not-modified'
  | 'unauthorized'
  | 'forbidden'
  | 'unavailable'
  | 'not-implemented'
  | 'canceled'
  | 'internal';

export class BerthError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'BerthError';
  }
}

export function notFound(message: string, cause?: unknown): BerthError {
  return new BerthError('not-found', message, { cause });
}

export function invalidArgument(message: string, cause?: unknown): BerthError {
  return new BerthError('invalid-argument', message, { cause });
}

export function conflict(message: string, cause?: unknown): BerthError {
  return new BerthError('conflict', message, { cause });
}

export function isBerthError(e: unknown, kind?: ErrorKind): e is BerthError {
  return e instanceof BerthError && (kind === undefined || e.kind === kind);
}

/** The message of any thrown value, for wrapping and logging. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** True for a Node.js system error with the given code (ENOENT, EEXIST, ...). */
export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}
