import { BerthError, errorMessage, isBerthError, type ErrorKind } from '../kernel/index.js';

/**
 * An error from a registry: the berth kind, plus the distribution spec's error
 * code when the registry sent one (MANIFEST_UNKNOWN, DENIED, ...) and whether
 * trying again can help (a 5xx, a 429, a broken connection).
 */
export class RegistryError extends BerthError {
  readonly code?: string;
  readonly status?: number;
  readonly retryable: boolean;

  constructor(
    kind: ErrorKind,
    message: string,
    details: { code?: string; status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(kind, message, { cause: details.cause });
    this.name = 'RegistryError';
    this.code = details.code;
    this.status = details.status;
    this.retryable = details.retryable ?? false;
  }
}

/** One entry of the distribution spec's error body `{"errors": [...]}`. */
interface ErrorEntry {
  code: string;
  message: string;
}

/** Codes whose kind does not follow from the HTTP status alone. */
const CODE_KINDS: Record<string, ErrorKind> = {
  UNAUTHORIZED: 'unauthorized',
  DENIED: 'forbidden',
  TOOMANYREQUESTS: 'unavailable',
  UNSUPPORTED: 'failed-precondition',
  BLOB_UNKNOWN: 'not-found',
  BLOB_UPLOAD_UNKNOWN: 'not-found',
  MANIFEST_UNKNOWN: 'not-found',
  NAME_UNKNOWN: 'not-found',
};

/** The kind for an HTTP status when the body names no code berth knows. */
function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 405) return 'failed-precondition';
  if (status === 409) return 'conflict';
  if (status === 429 || status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid-argument';
  return 'internal';
}

/** Parses `{"errors":[{"code","message"}]}`; other bodies (HTML from a proxy, nothing at all) give []. */
function parseErrorBody(body: string): ErrorEntry[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown; details?: unknown };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors.flatMap((e: unknown) => {
        const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
        return typeof code === 'string' ? [{ code, message: typeof message === 'string' ? message : '' }] : [];
      });
    }
    // Token servers (Docker Hub's included) answer `{"details": "..."}`.
    if (typeof parsed.details === 'string') return [{ code: 'UNAUTHORIZED', message: parsed.details }];
  } catch {
    // Not JSON: the status alone decides.
  }
  return [];
}

/**
 * Docker's rendering of an error code: `MANIFEST_UNKNOWN` → "manifest unknown",
 * so a message reads "manifest unknown: manifest unknown" as docker prints it.
 */
function describe(entry: ErrorEntry): string {
  const code = entry.code.toLowerCase().replace(/_/g, ' ');
  return entry.message ? `${code}: ${entry.message}` : code;
}

/**
 * The error for a registry answer that was not a success. `context` says what
 * was asked ("manifest for 127.0.0.1:5000/x:v1"), so every message names the
 * registry and repository.
 */
export function errorFromResponse(status: number, body: string, context: string): RegistryError {
  const entries = parseErrorBody(body);
  const first = entries[0];
  const kind = (first && CODE_KINDS[first.code]) ?? kindForStatus(status);
  const retryable = status === 429 || status >= 500;
  let detail = entries.map(describe).join(', ');
  if (!detail) detail = defaultDetail(status);
  return new RegistryError(kind, `${context}: ${detail}`, { code: first?.code, status, retryable });
}

function defaultDetail(status: number): string {
  if (status === 401) return 'unauthorized: authentication required';
  if (status === 403) return 'denied: requested access to the resource is denied';
  if (status === 404) return 'not found';
  return `unexpected status ${status}`;
}

/**
 * Node and undici codes of a connection that broke mid-way: worth a retry (a
 * download resumes where it stopped). A registry that refuses connections or
 * stays silent until a timeout is not retried, so it fails within the bounded
 * connect and idle times instead of several times over.
 */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Codes of TLS failures: a retry cannot help, but the message must say what to fix. */
const TLS_CODE_RE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_)/;

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e; typeof cur === 'object' && cur !== null; cur = (cur as { cause?: unknown }).cause) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_REQ_RETRY') return code;
  }
  return undefined;
}

/** The codes of a server that answers TLS with plain HTTP: falling back to HTTP is the cure, not a fault. */
const NOT_TLS_RE = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|HTTP_REQUEST/;

/** True when a TLS handshake failed on the certificate or protocol (unknown CA, wrong name), not because the server speaks plain HTTP. */
export function isCertificateFailure(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && TLS_CODE_RE.test(code) && !NOT_TLS_RE.test(code);
}

/**
 * Wraps a failure below HTTP (refused, reset, timed out, TLS) as `unavailable`,
 * an abort as `canceled`; a BerthError passes through unchanged.
 */
export function networkError(e: unknown, method: string, url: string, signal?: AbortSignal): BerthError {
  if (isBerthError(e)) return e;
  if (signal?.aborted) return new BerthError('canceled', `${method} ${url}: canceled`, { cause: e });
  const code = errorCode(e);
  const what = `${capitalise(method)} "${url}"`;
  if (code !== undefined && TLS_CODE_RE.test(code)) {
    const hint = 'put the registry\u2019s CA in certs.d/<host:port>/ca.crt or mark the registry insecure';
    return new RegistryError('unavailable', `${what}: TLS: ${errorMessage(e)} (${code}); ${hint}`, { cause: e });
  }
  const retryable = code !== undefined && RETRYABLE_CODES.has(code);
  const reason = describeNetwork(code, e);
  return new RegistryError('unavailable', `${what}: ${reason}`, { cause: e, retryable });
}

function describeNetwork(code: string | undefined, e: unknown): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out: the registry did not answer';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'the registry accepted the connection but sent no response in time';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the registry stopped sending data';
    default:
      return code ? `${errorMessage(e)} (${code})` : errorMessage(e);
  }
}

function capitalise(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}
