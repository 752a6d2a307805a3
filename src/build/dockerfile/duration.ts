/** Nanoseconds per unit of Go's time.ParseDuration, which Docker uses for HEALTHCHECK flags. */
const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a Go duration (`1h30m`, `1.5s`, `300ms`, `-2m`) to nanoseconds,
 * with Go's error wording.
 */
export function parseGoDuration(text: string): number {
  const invalid = new Error(`time: invalid duration "${text}"`);
  const match = /^([-+]?)(.*)$/su.exec(text);
  const sign = match?.[1] === '-' ? -1 : 1;
  let rest = match?.[2] ?? '';
  if (rest === '0') return 0;
  if (rest === '') throw invalid;
  let total = 0;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?([^\d.]*)/u.exec(rest);
    const whole = part?.[1] ?? '';
    const fraction = part?.[2] ?? '';
    const unit = part?.[3] ?? '';
    if (whole === '' && fraction === '') throw invalid;
    if (unit === '') throw new Error(`time: missing unit in duration "${text}"`);
    const scale = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
    rest = rest.slice(part?.[0].length ?? rest.length);
  }
  return sign * Math.round(total);
}
