import { invalidArgument } from '../kernel/index.js';

/**
 * One entry of a docker-archive's `manifest.json` (the format `docker save`
 * has written since 1.10): paths inside the tarball, not digests.
 */
export interface DockerArchiveManifest {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/** Parses and checks `manifest.json`. */
export function parseDockerManifestJson(bytes: Uint8Array): DockerArchiveManifest[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw invalidArgument('invalid archive: manifest.json is not valid JSON', e);
  }
  if (!Array.isArray(value)) throw invalidArgument('invalid archive: manifest.json is not a list');
  return value.map((item: unknown, i) => {
    const m = item as Partial<DockerArchiveManifest> | null;
    const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.Config !== 'string' ||
      !strings(m.Layers) ||
      (m.RepoTags != null && !strings(m.RepoTags))
    ) {
      throw invalidArgument(`invalid archive: manifest.json entry ${i} needs Config, Layers and RepoTags`);
    }
    return { Config: m.Config, RepoTags: m.RepoTags ?? null, Layers: m.Layers };
  });
}

export function dockerManifestJson(entries: DockerArchiveManifest[]): Buffer {
  return Buffer.from(JSON.stringify(entries));
}
