import { invalidArgument } from '../kernel/index.js';
import type { ContainerDefaults } from './types.js';

/**
 * Applies Dockerfile-style change lines (`docker import --change`, `docker
 * commit --change`) to a copy of an image's container defaults. Docker allows
 * exactly these instructions here.
 */
const ALLOWED = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

export function applyConfigChanges(base: ContainerDefaults, changes: readonly string[]): ContainerDefaults {
  const out: ContainerDefaults = structuredClone(base);
  for (const line of changes) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const m = /^(\S+)\s*(.*)$/s.exec(trimmed)!;
    const instruction = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (!ALLOWED.includes(instruction)) {
      throw invalidArgument(`${instruction} is not a valid change command`);
    }
    applyOne(out, instruction, args);
  }
  return out;
}

function applyOne(c: ContainerDefaults, instruction: string, args: string): void {
  switch (instruction) {
    case 'CMD':
      c.Cmd = commandForm(args);
      return;
    case 'ENTRYPOINT':
      c.Entrypoint = commandForm(args);
      return;
    case 'ENV':
      c.Env = mergeEnv(c.Env ?? [], keyValues(args, 'ENV'));
      return;
    case 'LABEL':
      c.Labels = { ...c.Labels, ...Object.fromEntries(keyValues(args, 'LABEL')) };
      return;
    case 'EXPOSE':
      c.ExposedPorts = { ...c.ExposedPorts };
      for (const p of splitWords(args)) c.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
      return;
    case 'VOLUME':
      c.Volumes = { ...c.Volumes };
      for (const v of args.startsWith('[') ? jsonArray(args) : splitWords(args)) c.Volumes[v] = {};
      return;
    case 'ONBUILD':
      c.OnBuild = [...(c.OnBuild ?? []), args];
      return;
    case 'STOPSIGNAL':
      c.StopSignal = required(args, instruction);
      return;
    case 'USER':
      c.User = required(args, instruction);
      return;
    case 'WORKDIR':
      c.WorkingDir = required(args, instruction);
      return;
  }
}

function required(args: string, instruction: string): string {
  if (args === '') throw invalidArgument(`${instruction} requires exactly one argument`);
  return args;
}

/** Exec form (a JSON array) is kept; shell form runs under `/bin/sh -c`. */
function commandForm(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      return jsonArray(args);
    } catch {
      // Docker treats a malformed JSON array as shell form.
    }
  }
  return ['/bin/sh', '-c', args];
}

function jsonArray(args: string): string[] {
  const value: unknown = JSON.parse(args);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalidArgument(`not a JSON array of strings: ${args}`);
  }
  return value;
}

/** `K=V K2="v 2"` pairs, or the legacy single `K V` form. */
function keyValues(args: string, instruction: string): [string, string][] {
  const words = splitWords(args);
  if (words.length === 0) throw invalidArgument(`${instruction} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    const [key, ...rest] = words;
    return [[key!, rest.join(' ')]];
  }
  return words.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw invalidArgument(`${instruction} names can not be blank: ${w}`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

function mergeEnv(env: string[], pairs: [string, string][]): string[] {
  const out = [...env];
  for (const [k, v] of pairs) {
    const at = out.findIndex((e) => e.split('=', 1)[0] === k);
    if (at >= 0) out[at] = `${k}=${v}`;
    else out.push(`${k}=${v}`);
  }
  return out;
}

/** Splits on unquoted whitespace; quotes group and are removed, backslash escapes. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && quote !== "'" && i + 1 < s.length) {
      word += s[++i];
      inWord = true;
    } else if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw invalidArgument(`unmatched quote in: ${s}`);
  if (inWord) words.push(word);
  return words;
}
