import { Flags } from './flags.js';
import { parseHeredocMarker } from './heredoc.js';
import type { InstructionSource } from './instruction-source.js';
import type { CopySource, Instruction } from './types.js';
import { parseJsonArray, splitWhitespace } from './words.js';

const COPY_FLAGS = {
  from: 'string',
  chown: 'string',
  chmod: 'string',
  link: 'bool',
  parents: 'bool',
  exclude: 'strings',
} as const;

const ADD_FLAGS = {
  chown: 'string',
  chmod: 'string',
  link: 'bool',
  checksum: 'string',
  'keep-git-dir': 'bool',
  exclude: 'strings',
} as const;

/**
 * COPY and ADD: sources then a destination, as a JSON array or
 * whitespace-separated (no quote handling, as Docker). A source written as a
 * heredoc marker (`COPY <<EOF /etc/x`) is the heredoc's content.
 */
export function parseCopyOrAdd(src: InstructionSource): Instruction {
  const label = src.name.toUpperCase();
  const flags = new Flags(src.flags, src.name === 'copy' ? COPY_FLAGS : ADD_FLAGS);
  const json = parseJsonArray(src.rest);
  const args = json ?? splitWhitespace(src.rest);
  if (args.length < 2) {
    throw new Error(
      `${label} requires at least two arguments, but only one was provided. Destination could not be determined.`,
    );
  }
  const dest = args.at(-1) ?? '';
  if (json === undefined && parseHeredocMarker(dest))
    throw new Error(`${label} cannot accept a heredoc as a destination`);
  const sources = args.slice(0, -1).map((word) => source(word, json === undefined, src));
  const fields = {
    ...src.base,
    sources,
    dest,
    link: flags.bool('link'),
    exclude: flags.list('exclude'),
    ...optional({ chown: flags.string('chown'), chmod: flags.string('chmod') }),
  };
  if (src.name === 'copy') {
    return { ...fields, kind: 'copy', parents: flags.bool('parents'), ...optional({ from: flags.string('from') }) };
  }
  return {
    ...fields,
    kind: 'add',
    keepGitDir: flags.bool('keep-git-dir'),
    ...optional({ checksum: flags.string('checksum') }),
  };
}

function source(word: string, allowHeredoc: boolean, src: InstructionSource): CopySource {
  const marker = allowHeredoc ? parseHeredocMarker(word) : undefined;
  if (marker === undefined) return { kind: 'path', path: word };
  const heredoc = src.heredocs.find((h) => h.name === marker.name);
  if (heredoc === undefined) throw new Error(`no heredoc content for ${word}`);
  return { kind: 'heredoc', heredoc };
}

/** Drops the keys whose value is undefined, so optional fields are absent rather than undefined. */
function optional<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [key, value] of Object.entries(values) as [keyof T, string | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
