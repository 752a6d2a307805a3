/**
 * Schema migrations, applied in order; the database's `user_version` says how
 * many have run. Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE images (
    id              TEXT PRIMARY KEY,         -- config digest
    manifest_digest TEXT NOT NULL,            -- the local manifest, in the content store
    media_type      TEXT NOT NULL,            -- of that manifest
    parent          TEXT,                     -- image this one was made from (commit, build)
    created         TEXT,                     -- config.created, RFC 3339
    size            INTEGER NOT NULL,         -- sum of its layers' uncompressed sizes
    added           INTEGER NOT NULL,         -- ms since epoch, when it arrived here
    last_tag_time   INTEGER
  );
  CREATE TABLE image_layers (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    chain_id TEXT NOT NULL REFERENCES snapshots(chain_id),
    PRIMARY KEY (image_id, idx)
  );
  CREATE INDEX image_layers_chain ON image_layers(chain_id);
  CREATE TABLE tags (
    name     TEXT PRIMARY KEY,                -- normalised: docker.io/library/busybox:latest
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    added    INTEGER NOT NULL
  );
  CREATE INDEX tags_image ON tags(image_id);
  CREATE TABLE repo_digests (
    name     TEXT PRIMARY KEY,                -- docker.io/library/busybox@sha256:...
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  );
  CREATE INDEX repo_digests_image ON repo_digests(image_id);
  CREATE TABLE snapshots (
    chain_id TEXT PRIMARY KEY,
    dir      TEXT NOT NULL UNIQUE,            -- short name under snapshots/: keeps overlay option strings short
    parent   TEXT REFERENCES snapshots(chain_id),
    diff_id  TEXT NOT NULL,
    size     INTEGER NOT NULL,                -- bytes of the uncompressed layer tar
    created  INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE containers (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,            -- without the leading '/'
    image_id TEXT NOT NULL REFERENCES images(id),
    created  INTEGER NOT NULL,                -- ms since epoch
    spec     TEXT NOT NULL,                   -- JSON: what create was asked (image ref, Config, HostConfig)
    state    TEXT NOT NULL                    -- JSON: the runtime state (status, pid, exit code, times)
  );
  CREATE INDEX containers_image ON containers(image_id);
  `,
  `
  CREATE TABLE durable_leases (
    lease   TEXT NOT NULL,                   -- one per operation (a pull)
    key     TEXT NOT NULL,                   -- a blob digest or snapshot chain ID
    expires INTEGER NOT NULL,                -- ms since epoch; GC ignores the row after this
    PRIMARY KEY (lease, key)
  );
  CREATE TABLE blob_sources (
    digest     TEXT NOT NULL,                -- a blob pulled from (or pushed to) a registry
    domain     TEXT NOT NULL,                -- registry host[:port]
    repository TEXT NOT NULL,                -- path there: library/busybox
    PRIMARY KEY (digest, domain, repository)
  );
  `,
  `
  CREATE TABLE volumes (
    name      TEXT PRIMARY KEY,
    driver    TEXT NOT NULL,                 -- 'local', the only driver
    created   INTEGER NOT NULL,              -- ms since epoch
    labels    TEXT NOT NULL,                 -- JSON object
    options   TEXT NOT NULL,                 -- JSON object: the local driver's type/o/device
    anonymous INTEGER NOT NULL               -- 1: made for one container (rm -v, prune)
  );
  CREATE TABLE volume_refs (
    volume       TEXT NOT NULL REFERENCES volumes(name),
    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    PRIMARY KEY (volume, container_id)
  );
  CREATE INDEX volume_refs_container ON volume_refs(container_id);
  `,
  `
  CREATE TABLE build_cache (
    key       TEXT PRIMARY KEY,               -- sha256 of parent image, expanded instruction, source content hash
    image_id  TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    created   INTEGER NOT NULL,               -- ms since epoch
    last_used INTEGER NOT NULL
  );
  CREATE INDEX build_cache_image ON build_cache(image_id);
  `,
  `
  CREATE TABLE networks (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,                -- ms since epoch
    spec    TEXT NOT NULL                    -- JSON owned by the network module: driver, IPAM, options, labels
  );
  CREATE TABLE endpoints (
    container_id TEXT NOT NULL,
    network_id   TEXT NOT NULL REFERENCES networks(id),
    config       TEXT NOT NULL,              -- JSON: aliases, requested address
    runtime      TEXT,                       -- JSON: the CNI result while the container runs, else NULL
    PRIMARY KEY (container_id, network_id)
  );
  `,
  `
  CREATE TABLE sandbox_pool (
    sandbox_id TEXT PRIMARY KEY,             -- the CNI container ID and netns file name of a sandbox made ahead
    network_id TEXT NOT NULL REFERENCES networks(id),
    runtime    TEXT NOT NULL                 -- JSON: its endpoint runtime, written before the CNI ADD and after
  );
  `,
];
