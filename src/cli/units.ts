/**
 * Human-readable sizes, durations and times, printed exactly as the docker
 * CLI prints them (go-units and Go's fmt/time formatting), so scripts and eyes
 * trained on docker's output read berth's the same way.
 */

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scale(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i] as string];
}

/** Decimal size with `precision` significant digits: `4.26MB` (docker image sizes use 3). */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [n, unit] = scale(bytes, 1000, DECIMAL_UNITS);
  return formatG(n, precision) + unit;
}

/** Decimal size with 4 significant digits, as in progress bars and `system df`: `12.35MB`. */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** Binary size with 4 significant digits, as in `info`'s Total Memory: `7.668GiB`. */
export function bytesSize(bytes: number): string {
  const [n, unit] = scale(bytes, 1024, BINARY_UNITS);
  return formatG(n, 4) + unit;
}

/**
 * Go's `%.<precision>g`: round to `precision` significant digits (ties to
 * even on the exact decimal value, as strconv does), drop trailing zeros, and
 * switch to exponent form when the exponent is < -4 or >= precision — which
 * is why docker prints `1e+03kB` for 999,950 bytes.
 */
export function formatG(x: number, precision: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  const { digits, dp } = roundDigits(exactDigits(Math.abs(x)), Math.max(precision, 1));
  const sign = neg ? '-' : '';
  if (digits === '') return sign + '0';
  const nd = digits.length;
  let eprec = precision;
  if (eprec > nd && nd >= dp) eprec = nd;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= nd) return sign + digits + '0'.repeat(dp - nd);
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** The exact decimal digits of a finite non-negative double: digits 0.d1d2... × 10^dp. */
function exactDigits(x: number): { digits: string; dp: number } {
  // toFixed is exact for |x| < 1e21 with enough places; beyond, use exponent form.
  const s = x < 1e21 ? x.toFixed(100) : x.toExponential(99);
  const [mant = '', expPart] = s.split('e');
  const [intPart = '', frac = ''] = mant.split('.');
  let digits = intPart + frac;
  let dp = intPart.length + (expPart ? Number(expPart) : 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  dp -= lead;
  return { digits, dp: digits === '' ? 0 : dp };
}

function roundDigits(d: { digits: string; dp: number }, n: number): { digits: string; dp: number } {
  const { digits } = d;
  if (digits.length <= n) return d;
  const next = digits.charCodeAt(n) - 48;
  const tie = next === 5 && digits.length === n + 1;
  const up = tie ? (digits.charCodeAt(n - 1) - 48) % 2 === 1 : next >= 5;
  let kept = digits.slice(0, n);
  let dp = d.dp;
  if (up) {
    const bumped = (BigInt(kept) + 1n).toString();
    if (bumped.length > kept.length) dp++;
    kept = bumped.slice(0, n);
  }
  return { digits: kept.replace(/0+$/, ''), dp };
}

/** go-units HumanDuration: "Less than a second", "About a minute", "2 hours", "3 weeks". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "2 hours ago" for a Unix time in seconds, as docker's CREATED columns. */
export function createdSince(unixSeconds: number, now: Date = new Date()): string {
  return humanDuration(now.getTime() - unixSeconds * 1000) + ' ago';
}

/** Go's Duration.String() for whole seconds: "0s", "45s", "1m30s", "2h0m5s". */
export function goDurationString(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  if (s === 0) return '0s';
  const neg = s < 0 ? '-' : '';
  const abs = Math.abs(s);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const sec = abs % 60;
  if (h > 0) return `${neg}${h}h${m}m${sec}s`;
  if (m > 0) return `${neg}${m}m${sec}s`;
  return `${neg}${sec}s`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function localOffset(date: Date, sep: string): string {
  const off = -date.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${sign}${pad2(Math.floor(abs / 60))}${sep}${pad2(abs % 60)}`;
}

function localDateTime(date: Date, sep: string): string {
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  return `${day}${sep}${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** Go's time.RFC3339 in local time: `2024-05-01T12:00:00Z` or `...+02:00`. */
export function rfc3339(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const off = date.getTimezoneOffset() === 0 ? 'Z' : localOffset(date, ':');
  return localDateTime(date, 'T') + off;
}

/** Go's Time.String() in local time: `2024-05-01 12:00:00 +0000 UTC` (image CreatedAt). */
export function goTimeString(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${localDateTime(date, ' ')} ${localOffset(date, '')} ${zone}`;
}
