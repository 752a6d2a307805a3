import { Flags } from './flags.js';
import { parseCopyOrAdd } from './copy.js';
import { parseHealthcheck } from './healthcheck.js';
import { maybeJson, type InstructionSource } from './instruction-source.js';
import type { CommandLine, Instruction, KeyValue } from './types.js';
import { parseJsonArray, parseWords, splitCommand, splitWhitespace } from './words.js';

type Parser = (src: InstructionSource) => Instruction;

const NO_FLAGS = {};

const PARSERS: Readonly<Record<string, Parser>> = {
  run: parseRun,
  cmd: (src) => ({ ...src.base, kind: 'cmd', command: commandLine(src, NO_FLAGS) }),
  entrypoint: (src) => ({ ...src.base, kind: 'entrypoint', command: commandLine(src, NO_FLAGS) }),
  shell: parseShell,
  env: (src) => ({ ...src.base, kind: 'env', pairs: parseKeyValues(src, 'ENV') }),
  label: (src) => ({ ...src.base, kind: 'label', pairs: parseKeyValues(src, 'LABEL') }),
  arg: parseArg,
  // Docker sorts the words (as strings) before expanding them.
  expose: (src) => ({ ...src.base, kind: 'expose', ports: atLeastOne(src, splitWhitespace(src.rest)).sort() }),
  copy: parseCopyOrAdd,
  add: parseCopyOrAdd,
  workdir: (src) => ({ ...src.base, kind: 'workdir', path: exactlyOne(src) }),
  user: (src) => ({ ...src.base, kind: 'user', user: exactlyOne(src) }),
  stopsignal: (src) => ({ ...src.base, kind: 'stopsignal', signal: exactlyOne(src) }),
  maintainer: (src) => {
    const name = exactlyOne(src);
    src.warn('MAINTAINER is deprecated: use LABEL maintainer=… instead');
    return { ...src.base, kind: 'maintainer', name };
  },
  volume: parseVolume,
  healthcheck: parseHealthcheck,
  onbuild: parseOnbuild,
};

/** Parses one instruction other than FROM; throws a plain Error the caller places on a line. */
export function parseInstruction(src: InstructionSource): Instruction {
  const parser = Object.hasOwn(PARSERS, src.name) ? PARSERS[src.name] : undefined;
  if (parser === undefined) throw new Error(`unknown instruction: ${src.name.toUpperCase()}`);
  return parser(src);
}

function commandLine(src: InstructionSource, spec: ConstructorParameters<typeof Flags>[1]): CommandLine {
  new Flags(src.flags, spec);
  return maybeJson(src.rest);
}

const NETWORK_MODES = ['default', 'none', 'host'];
const SECURITY_MODES = ['sandbox', 'insecure'];

function parseRun(src: InstructionSource): Instruction {
  const flags = new Flags(src.flags, { mount: 'strings', network: 'string', security: 'string' });
  const command = maybeJson(src.rest);
  const network = flags.string('network');
  if (network !== undefined && !NETWORK_MODES.includes(network)) {
    throw new Error(`network mode "${network}" not supported; use one of: ${NETWORK_MODES.join(', ')}`);
  }
  const security = flags.string('security');
  if (security !== undefined && !SECURITY_MODES.includes(security)) {
    throw new Error(`security mode "${security}" not supported; use one of: ${SECURITY_MODES.join(', ')}`);
  }
  const heredocs = command.form === 'shell' ? src.heredocs : [];
  const run: Instruction = { ...src.base, kind: 'run', command, heredocs, mounts: flags.list('mount') };
  if (network !== undefined) run.network = network;
  if (security !== undefined) run.security = security;
  return run;
}

function parseShell(src: InstructionSource): Instruction {
  new Flags(src.flags, NO_FLAGS);
  const argv = parseJsonArray(src.rest);
  if (argv === undefined && src.rest !== '') throw new Error('SHELL requires the arguments to be in JSON form');
  if (argv === undefined || argv.length === 0) throw new Error('SHELL requires at least one argument');
  return { ...src.base, kind: 'shell', shell: argv };
}

/**
 * ENV and LABEL: `key=value ...`, or the legacy `KEY name value` form when
 * the first word has no `=` (the value is then the rest of the line).
 */
function parseKeyValues(src: InstructionSource, label: string): KeyValue[] {
  new Flags(src.flags, NO_FLAGS);
  const words = parseWords(src.rest, src.escape);
  if (words.length === 0) throw new Error(`${label} requires at least one argument`);
  if (!(words[0] ?? '').includes('=')) {
    const parts = /^(\S+)[\t\v\f\r ]+([\s\S]+)$/u.exec(src.rest);
    if (!parts) throw new Error(`${label} must have two arguments`);
    src.warn(`"${label} key value" is a legacy form: prefer "${label} key=value"`);
    return [blankChecked({ key: parts[1] ?? '', value: parts[2] ?? '' }, label)];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) throw new Error(`Syntax error - can't find = in "${word}". Must be of the form: name=value`);
    return blankChecked({ key: word.slice(0, eq), value: word.slice(eq + 1) }, label);
  });
}

function blankChecked(pair: KeyValue, label: string): KeyValue {
  if (pair.key === '') throw new Error(`${label} names can not be blank`);
  return pair;
}

function parseArg(src: InstructionSource): Instruction {
  new Flags(src.flags, NO_FLAGS);
  const words = atLeastOne(src, parseWords(src.rest, src.escape));
  const args = words.map((word) => {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (name === '') throw new Error('ARG names can not be blank');
    return eq < 0 ? { name } : { name, default: word.slice(eq + 1) };
  });
  return { ...src.base, kind: 'arg', args };
}

function parseVolume(src: InstructionSource): Instruction {
  new Flags(src.flags, NO_FLAGS);
  const paths = atLeastOne(src, parseJsonArray(src.rest) ?? splitWhitespace(src.rest));
  if (paths.some((p) => p.trim() === '')) throw new Error('VOLUME specified can not be an empty string');
  return { ...src.base, kind: 'volume', paths };
}

function parseOnbuild(src: InstructionSource): Instruction {
  new Flags(src.flags, NO_FLAGS);
  if (src.rest === '') throw new Error('ONBUILD requires at least one argument');
  const inner = splitCommand(src.rest);
  const innerName = inner.name.toUpperCase();
  if (innerName === 'ONBUILD') throw new Error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (innerName === 'MAINTAINER' || innerName === 'FROM') {
    throw new Error(`${innerName} isn't allowed as an ONBUILD trigger`);
  }
  // The stored trigger carries its heredoc bodies, so it parses again as written.
  const head = src.base.original.replace(/^\s*ONBUILD\s*/iu, '');
  const expression = src.heredocs.reduce((text, h) => `${text}\n${h.content}${h.name}`, head);
  const trigger = parseInstruction({
    ...src,
    ...inner,
    name: inner.name.toLowerCase(),
    base: { ...src.base, original: head },
  });
  return { ...src.base, kind: 'onbuild', expression, trigger };
}

function atLeastOne(src: InstructionSource, args: string[]): string[] {
  if (args.length === 0) throw new Error(`${src.name.toUpperCase()} requires at least one argument`);
  return args;
}

function exactlyOne(src: InstructionSource): string {
  new Flags(src.flags, NO_FLAGS);
  if (src.rest === '') throw new Error(`${src.name.toUpperCase()} requires exactly one argument`);
  return src.rest;
}
