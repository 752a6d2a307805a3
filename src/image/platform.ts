import { arch } from 'node:os';
import { notFound } from '../kernel/index.js';
import type { Descriptor, Index, Platform } from './types.js';

/** This machine's platform in OCI (Go) naming. */
export function hostPlatform(): Platform {
  const map: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  const architecture = map[arch()] ?? arch();
  return architecture === 'arm64' ? { os: 'linux', architecture, variant: 'v8' } : { os: 'linux', architecture };
}

/** Parses `os/arch[/variant]` as given to `--platform`. */
export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.toLowerCase().split('/');
  if (!os || !architecture) return { ...hostPlatform(), os: os ?? 'linux' };
  return variant ? { os, architecture, variant } : { os, architecture };
}

function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function matches(want: Platform, have: Platform | undefined): boolean {
  if (!have) return false;
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  // arm64 images often omit the variant; v8 is the only one there is.
  return !want.variant || !have.variant || have.variant === want.variant;
}

/** Picks the manifest for `want` from an index, or says which platforms there are. */
export function chooseManifest(index: Index, want: Platform): Descriptor {
  const found = index.manifests.find((m) => matches(want, m.platform));
  if (found) return found;
  const have = index.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : 'unknown')).join(', ');
  throw notFound(`no matching manifest for ${formatPlatform(want)} in the manifest list entries (have: ${have})`);
}
