import { invalidArgument } from '../kernel/index.js';

/** An IPv4 prefix: the network address as a 32-bit number and its length. */
export interface Ipv4Prefix {
  base: number;
  bits: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff - (2 ** (32 - bits) - 1)) >>> 0;
}

/** `172.18.0.0/16`; the host bits must be zero, as Docker requires of `--subnet`. */
export function parsePrefix(text: string, flag = 'subnet'): Ipv4Prefix {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  const ip = m ? parseIpv4(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(bits >= 0 && bits <= 32)) throw invalidArgument(`invalid CIDR address: ${text}`);
  if ((ip & ~mask(bits)) >>> 0 !== 0) {
    throw invalidArgument(
      `invalid ${flag} ${text}: it should be ${formatPrefix({ base: (ip & mask(bits)) >>> 0, bits })}`,
    );
  }
  return { base: ip, bits };
}

export function formatPrefix(p: Ipv4Prefix): string {
  return `${formatIpv4(p.base)}/${p.bits}`;
}

function lastOf(p: Ipv4Prefix): number {
  return p.base + 2 ** (32 - p.bits) - 1;
}

export function prefixContains(p: Ipv4Prefix, ip: number): boolean {
  return ip >= p.base && ip <= lastOf(p);
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return a.base <= lastOf(b) && b.base <= lastOf(a);
}

/** The first usable address, Docker's default gateway. */
export function firstHost(p: Ipv4Prefix): number {
  return p.base + 1;
}

/** The usable range of a prefix: network and broadcast addresses excluded. */
export function hostRange(p: Ipv4Prefix): { first: number; last: number } {
  return { first: p.base + 1, last: lastOf(p) - 1 };
}

/**
 * Docker's default address pools, in its order: 172.17–31.0.0/16, then
 * 192.168.0–240.0/20. A network without `--subnet` gets the first one that
 * overlaps neither another network nor a route of the host.
 */
function* defaultPools(): Generator<Ipv4Prefix> {
  for (let i = 17; i <= 31; i++) yield { base: (172 * 2 ** 24 + i * 2 ** 16) >>> 0, bits: 16 };
  for (let i = 0; i < 256; i += 16) yield { base: (192 * 2 ** 24 + 168 * 2 ** 16 + i * 2 ** 8) >>> 0, bits: 20 };
}

export function pickFreePool(taken: readonly Ipv4Prefix[]): Ipv4Prefix {
  for (const pool of defaultPools()) {
    if (!taken.some((t) => prefixesOverlap(t, pool))) return pool;
  }
  throw invalidArgument(
    'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
  );
}
