/**
 * registry — the OCI distribution client: endpoints (HTTPS first, plain HTTP
 * only for loopback and insecure registries, mirrors for docker.io), TLS from
 * certs.d directories, auth challenges (anonymous, basic, bearer tokens with
 * refresh tokens), manifests, blob downloads that resume with Range requests,
 * uploads (monolithic, chunked, cross-repository mounts), and retries.
 * It speaks HTTP only: it never touches the content store or snapshots, and
 * the caller verifies the digests of the blobs it reads.
 * Implements the OCI distribution spec (pull, push, content discovery of tags
 * and manifests) and the distribution token-auth spec.
 */
export type {
  BlobReadOptions,
  BlobUploadOptions,
  Credentials,
  FetchedManifest,
  RegistryClient,
  RegistryClientOptions,
  Repository,
} from './types.js';
export { createRegistryClient } from './client.js';
export type { RegistryClientTuning } from './client.js';
