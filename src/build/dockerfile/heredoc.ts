import { lex } from './lexer.js';
import type { Heredoc } from './types.js';

export type HeredocMarker = Omit<Heredoc, 'content'>;

const NO_ENV: ReadonlyMap<string, string> = new Map();
/** `[fd]<<[-]word` as one shell word. */
const MARKER = /^(\d*)<<(-?)([^<]*)$/u;

/**
 * The heredocs a RUN/COPY/ADD line opens, in order. Docker lexes the line
 * into shell words (quotes and escapes kept) and takes every word that is a
 * heredoc marker; a line that does not lex has none.
 */
export function heredocsFromLine(line: string): HeredocMarker[] {
  let words: string[];
  try {
    words = lex(line, NO_ENV, { escape: '\\', rawQuotes: true, rawEscapes: true }).words;
  } catch {
    return [];
  }
  return words.map(parseHeredocMarker).filter((m): m is HeredocMarker => m !== undefined);
}

/**
 * One marker word to a heredoc. The content is expanded only when no part of
 * the delimiter is quoted (`<<EOF` expands, `<<"EOF"` and `<<'EOF'` do not),
 * found by lexing the delimiter with and without quote removal.
 */
export function parseHeredocMarker(word: string): HeredocMarker | undefined {
  const match = MARKER.exec(word);
  const rest = match?.[3] ?? '';
  if (!match || rest === '') return undefined;
  const plain = lex(rest, NO_ENV, { escape: '\\', skipUnset: true }).words;
  if (plain.length !== 1) return undefined;
  const raw = lex(rest, NO_ENV, { escape: '\\', skipUnset: true, rawQuotes: true }).words;
  const name = plain[0] ?? '';
  const marker: HeredocMarker = {
    name,
    expand: countQuotes(name) === countQuotes(raw[0] ?? ''),
    chomp: match[2] === '-',
  };
  if (match[1] !== '') marker.fd = Number(match[1]);
  return marker;
}

function countQuotes(text: string): number {
  return (text.match(/['"]/gu) ?? []).length;
}
