import { invalidArgument, isDigest, sha256, type Digest, type OperationOptions } from '../kernel/index.js';
import { MediaType, type Descriptor } from '../image/index.js';
import { errorFromResponse, RegistryError } from './errors.js';
import { repositoryScope } from './scope.js';
import { send, withEndpoint, withRetry, type Session } from './session.js';
import { header, readErrorBody, readLimited, type HttpResponse } from './transport.js';
import type { FetchedManifest } from './types.js';

/** Docker and containerd refuse manifests over 4 MiB; so do we, before reading more. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * What the client accepts, best first. Schema 1 is listed so a registry that
 * has only that answers with it and the refusal can say so, instead of the
 * registry claiming the manifest is unknown.
 */
const ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
  MediaType.dockerSchema1Signed,
  MediaType.dockerSchema1,
].join(', ');

const SCHEMA1 = new Set<string>([MediaType.dockerSchema1, MediaType.dockerSchema1Signed]);

/** `name:tag` or `name@digest`, for messages. */
function display(session: Session, ref: string): string {
  return isDigest(ref) ? `${session.name}@${ref}` : `${session.name}:${ref}`;
}

function manifestError(session: Session, ref: string, res: HttpResponse, body: string): RegistryError {
  const what = display(session, ref);
  // Docker's wording: "manifest for x:tag not found: manifest unknown: manifest unknown".
  return errorFromResponse(res.status, body, res.status === 404 ? `manifest for ${what} not found` : what);
}

function schema1Refused(session: Session, ref: string): RegistryError {
  return new RegistryError(
    'failed-precondition',
    `${display(session, ref)}: Docker image manifest version 2, schema 1 manifests are not supported; ` +
      'the image must be pushed again as Docker schema 2 or OCI',
  );
}

export async function getManifest(
  session: Session,
  ref: string,
  options: OperationOptions = {},
): Promise<FetchedManifest> {
  const { signal } = options;
  const scopes = [repositoryScope(session.path, ['pull'])];
  const url = `/v2/${session.path}/manifests/${ref}`;
  return withEndpoint(session, (endpoint) =>
    withRetry(session.retry, signal, async () => {
      const res = await send(session, endpoint, { method: 'GET', url, headers: { Accept: ACCEPT }, scopes, signal });
      if (res.status !== 200) throw manifestError(session, ref, res, await readErrorBody(res));
      return readManifest(session, ref, res);
    }),
  );
}

async function readManifest(session: Session, ref: string, res: HttpResponse): Promise<FetchedManifest> {
  const tooLarge = new RegistryError(
    'failed-precondition',
    `${display(session, ref)}: manifest too large: over the ${MAX_MANIFEST_BYTES}-byte limit`,
  );
  if (Number(header(res, 'content-length') ?? 0) > MAX_MANIFEST_BYTES) {
    res.body.destroy();
    throw tooLarge;
  }
  const bytes = await readLimited(res.body, MAX_MANIFEST_BYTES);
  if (bytes === undefined) throw tooLarge;
  const mediaType = manifestMediaType(header(res, 'content-type'), bytes);
  if (SCHEMA1.has(mediaType)) throw schema1Refused(session, ref);
  const digest = sha256(bytes);
  checkDigest(session, ref, digest, header(res, 'docker-content-digest'));
  return { digest, mediaType, bytes };
}

/** The registry's digest claims and a digest reference must both name the bytes received. */
function checkDigest(session: Session, ref: string, actual: Digest, claimed: string | undefined): void {
  for (const expected of [isDigest(ref) ? ref : undefined, claimed]) {
    if (expected !== undefined && expected.startsWith('sha256:') && expected !== actual) {
      throw new RegistryError(
        'failed-precondition',
        `${display(session, ref)}: manifest digest mismatch: expected ${expected}, got ${actual}`,
      );
    }
  }
}

/**
 * The manifest's media type: the Content-Type, unless it is generic (some
 * registries send `application/json`), then the document's own `mediaType`,
 * then its shape, as Docker infers it.
 */
export function manifestMediaType(contentType: string | undefined, bytes: Buffer): string {
  const type = contentType?.split(';')[0]?.trim() ?? '';
  if (type !== '' && type !== 'application/json' && type !== 'text/plain' && type !== 'application/octet-stream') {
    return type;
  }
  let doc: { mediaType?: unknown; schemaVersion?: unknown; manifests?: unknown; signatures?: unknown };
  try {
    doc = JSON.parse(bytes.toString()) as typeof doc;
  } catch {
    return type;
  }
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  if (doc.schemaVersion === 1) return doc.signatures ? MediaType.dockerSchema1Signed : MediaType.dockerSchema1;
  return Array.isArray(doc.manifests) ? MediaType.ociIndex : MediaType.ociManifest;
}

/**
 * The descriptor for a tag or digest from a HEAD; falls back to a GET when
 * the HEAD does not give the digest, media type and size (some registries
 * omit Docker-Content-Digest on HEAD).
 */
export async function resolveManifest(
  session: Session,
  ref: string,
  options: OperationOptions = {},
): Promise<Descriptor> {
  const { signal } = options;
  const scopes = [repositoryScope(session.path, ['pull'])];
  const url = `/v2/${session.path}/manifests/${ref}`;
  const head = await withEndpoint(session, (endpoint) =>
    withRetry(session.retry, signal, async () => {
      const res = await send(session, endpoint, { method: 'HEAD', url, headers: { Accept: ACCEPT }, scopes, signal });
      await res.body.dump();
      if (res.status === 404 || res.status === 401 || res.status === 403) throw manifestError(session, ref, res, '');
      return res;
    }),
  );
  const digest = header(head, 'docker-content-digest');
  const mediaType = header(head, 'content-type')?.split(';')[0]?.trim();
  const size = Number(header(head, 'content-length'));
  if (mediaType && SCHEMA1.has(mediaType)) throw schema1Refused(session, ref);
  if (head.status === 200 && digest && isDigest(digest) && mediaType && mediaType !== 'application/json' && size > 0) {
    checkDigest(session, ref, digest as Digest, undefined);
    return { mediaType, digest: digest as Digest, size };
  }
  const fetched = await getManifest(session, ref, options);
  return { mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.bytes.length };
}

export async function putManifest(
  session: Session,
  ref: string,
  manifest: FetchedManifest,
  options: OperationOptions = {},
): Promise<Digest> {
  const { signal } = options;
  if (isDigest(ref) && ref !== manifest.digest) {
    throw invalidArgument(`${session.name}: cannot put manifest ${manifest.digest} under digest ${ref}`);
  }
  const scopes = [repositoryScope(session.path, ['pull', 'push'])];
  const url = `/v2/${session.path}/manifests/${ref}`;
  const headers = { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) };
  return withEndpoint(session, (endpoint) =>
    withRetry(session.retry, signal, async () => {
      const res = await send(session, endpoint, { method: 'PUT', url, headers, body: manifest.bytes, scopes, signal });
      if (res.status !== 201) throw errorFromResponse(res.status, await readErrorBody(res), display(session, ref));
      await res.body.dump();
      const reported = header(res, 'docker-content-digest');
      return reported && isDigest(reported) ? (reported as Digest) : manifest.digest;
    }),
  );
}
