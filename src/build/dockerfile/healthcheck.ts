import { parseGoDuration } from './duration.js';
import { Flags } from './flags.js';
import { maybeJson, type InstructionSource } from './instruction-source.js';
import type { HealthConfig, Instruction } from './types.js';

const HEALTH_FLAGS = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
} as const;

/** Docker's smallest allowed health check duration: 1ms, in nanoseconds. */
const MINIMUM_DURATION = 1_000_000;

/** `HEALTHCHECK NONE` or `HEALTHCHECK [--options] CMD command` (exec or shell form). */
export function parseHealthcheck(src: InstructionSource): Instruction {
  const match = /^(\S+)\s*([\s\S]*)$/u.exec(src.rest);
  if (!match) throw new Error('HEALTHCHECK requires at least one argument');
  const type = (match[1] ?? '').toUpperCase();
  const rest = match[2] ?? '';
  if (type === 'NONE') {
    if (rest !== '') throw new Error('HEALTHCHECK NONE takes no arguments');
    new Flags(src.flags, {});
    return { ...src.base, kind: 'healthcheck', health: { test: ['NONE'] } };
  }
  const flags = new Flags(src.flags, HEALTH_FLAGS);
  if (type !== 'CMD') throw new Error(`Unknown type "${match[1] ?? ''}" in HEALTHCHECK (try CMD)`);
  const command = maybeJson(rest);
  const test = command.form === 'exec' ? ['CMD', ...command.argv] : ['CMD-SHELL', command.command];
  if (command.form === 'exec' ? command.argv.length === 0 : command.command === '') {
    throw new Error('Missing command after HEALTHCHECK CMD');
  }
  const health: HealthConfig = { test };
  setInterval(health, 'interval', flags.string('interval'), 'interval');
  setInterval(health, 'timeout', flags.string('timeout'), 'timeout');
  setInterval(health, 'startPeriod', flags.string('start-period'), 'start-period');
  setInterval(health, 'startInterval', flags.string('start-interval'), 'start-interval');
  const retries = flags.string('retries');
  if (retries !== undefined) health.retries = parseRetries(retries);
  return { ...src.base, kind: 'healthcheck', health };
}

type DurationField = 'interval' | 'timeout' | 'startPeriod' | 'startInterval';

function setInterval(health: HealthConfig, field: DurationField, value: string | undefined, flag: string): void {
  if (value === undefined || value === '') return;
  const ns = parseGoDuration(value);
  if (ns === 0) return;
  if (ns < MINIMUM_DURATION) throw new Error(`Interval "${flag}" cannot be less than 1ms`);
  health[field] = ns;
}

function parseRetries(value: string): number {
  if (!/^[+-]?\d+$/u.test(value)) throw new Error(`strconv.ParseInt: parsing "${value}": invalid syntax`);
  const retries = Number(value);
  if (retries < 0) throw new Error(`--retries cannot be negative (${retries})`);
  if (retries > 2 ** 31 - 1) throw new Error(`strconv.ParseInt: parsing "${value}": value out of range`);
  return retries;
}
