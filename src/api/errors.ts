import { BerthError, errorMessage, type ErrorKind } from '../kernel/index.js';

/**
 * The only table mapping error kinds to HTTP status (STYLE.md §6). It follows
 * Docker's own translation (moby `httpstatus.FromError`): note that a failed
 * precondition is a 400 there, not a 409, and a cancellation a 500.
 */
const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'not-found': 404,
  'already-exists': 409,
  'invalid-argument': 400,
  conflict: 409,
  'failed-precondition': 400,
  'not-modified': 304,
  unauthorized: 401,
  forbidden: 403,
  unavailable: 503,
  'not-implemented': 501,
  canceled: 500,
  internal: 500,
};

/** How an error reaches a client: a status and Docker's `{"message": ...}` text. */
export interface ErrorReply {
  status: number;
  message: string;
  /** True when the error is ours to fix (5xx): its stack belongs in the log. */
  serverFault: boolean;
}

/** How deep to look through `cause` chains for a kind, like errdefs' unwrapping. */
const MAX_CAUSE_DEPTH = 8;

/**
 * The kind that decides the status: the outermost `BerthError` in the
 * `cause` chain, so a plain Error wrapping a not-found is still a 404. An
 * `AbortError` (a signal fired) counts as canceled; anything else is internal.
 */
export function errorKindOf(e: unknown): ErrorKind {
  let current: unknown = e;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== undefined; depth++) {
    if (current instanceof BerthError) return current.kind;
    if (current instanceof Error && current.name === 'AbortError') return 'canceled';
    current = current instanceof Error ? current.cause : undefined;
  }
  return 'internal';
}

export function statusForKind(kind: ErrorKind): number {
  return STATUS_BY_KIND[kind];
}

/** The status and message for any thrown value; the message is the outermost one. */
export function toErrorReply(e: unknown): ErrorReply {
  const status = statusForKind(errorKindOf(e));
  return { status, message: errorMessage(e), serverFault: status >= 500 };
}

/** The JSON body Docker sends with every error status. */
export function errorBody(message: string): string {
  return JSON.stringify({ message }) + '\n';
}
