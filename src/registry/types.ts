import type { Readable } from 'node:stream';
import type { Digest, OperationOptions } from '../kernel/index.js';
import type { Descriptor } from '../image/index.js';
import type { Reference } from '../reference/index.js';

/**
 * The contract between the distribution client (this module) and the engine's
 * pull and push. The client speaks HTTP, auth and retries; it never touches
 * the content store or snapshots — the engine verifies and stores what it gets.
 */

/** Credentials for one registry, as the docker CLI sends them in `X-Registry-Auth` or keeps in config.json. */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth2 refresh token from an earlier login (`identitytoken` in config.json). */
  readonly identityToken?: string;
  /** A bearer token to send as is (`registrytoken`). */
  readonly registryToken?: string;
}

export interface RegistryClientOptions {
  /** Directories holding `<host[:port]>/ca.crt, client.cert, client.key` (Docker's certs.d layout), searched in order. */
  readonly certsDirs: readonly string[];
  /** Hosts (`host:port` or CIDR) allowed over plain HTTP besides 127.0.0.0/8, ::1 and localhost. */
  readonly insecureRegistries: readonly string[];
  /** Mirrors tried first for docker.io, as `https://mirror.example`. */
  readonly mirrors: readonly string[];
  readonly userAgent: string;
}

/** A manifest or index as fetched: the exact bytes (their digest is the manifest digest). */
export interface FetchedManifest {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface BlobReadOptions extends OperationOptions {
  /** Called with the number of bytes received so far (after resumes, counting from 0). */
  readonly onBytes?: (received: number) => void;
}

export interface BlobUploadOptions extends OperationOptions {
  readonly onBytes?: (sent: number) => void;
  /** Force chunked upload (PATCH per chunk) with this chunk size; default is one monolithic PUT stream. */
  readonly chunkSize?: number;
}

/** One repository on one registry, with credentials bound. */
export interface Repository {
  /** `docker.io/library/busybox` */
  readonly name: string;
  /** Fetches a manifest or index by tag or digest; refuses schema1 and anything over 4 MB; verifies a digest reference. */
  getManifest(tagOrDigest: string, options?: OperationOptions): Promise<FetchedManifest>;
  /** The descriptor the registry gives for a tag or digest, without the body (HEAD). */
  resolve(tagOrDigest: string, options?: OperationOptions): Promise<Descriptor>;
  /**
   * The blob's bytes as the registry stores them (compressed). A connection
   * that breaks mid-way is resumed with a Range request and retried with
   * backoff; the stream ends only after exactly `descriptor.size` bytes.
   * The caller verifies the digest.
   */
  openBlob(descriptor: Descriptor, options?: BlobReadOptions): Readable;
  /** HEAD: is the blob already in this repository? */
  hasBlob(digest: Digest, options?: OperationOptions): Promise<boolean>;
  /**
   * Cross-repository mount from `fromRepository` on the same registry, given as
   * a path (`library/busybox`) or a full name with this registry's domain;
   * false when the registry started a normal upload instead (it is cancelled).
   */
  mountBlob(digest: Digest, fromRepository: string, options?: OperationOptions): Promise<boolean>;
  /** Uploads a blob from a fresh stream of its bytes (called again on retry). */
  uploadBlob(descriptor: Descriptor, open: () => Readable, options?: BlobUploadOptions): Promise<void>;
  /** PUT a manifest under a tag or its digest; returns the digest the registry reports. */
  putManifest(tagOrDigest: string, manifest: FetchedManifest, options?: OperationOptions): Promise<Digest>;
}

export interface RegistryClient {
  /** A repository for a reference's domain and path, with the credentials the client sent (X-Registry-Auth); none is anonymous. */
  repository(ref: Reference, credentials?: Credentials): Repository;
  /** `docker login`: checks the credentials against the registry's /v2/; returns an identity token if the registry issued one. */
  login(
    serverAddress: string,
    credentials: Credentials,
    options?: OperationOptions,
  ): Promise<{ identityToken?: string }>;
}
