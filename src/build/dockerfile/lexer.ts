import { invalidArgument } from '../../kernel/index.js';
import type { EscapeChar } from './types.js';
import { substitute, type Substitution } from './substitution.js';

/** Variables visible to expansion; the first definition of a name wins. */
export type ExpansionEnv = ReadonlyMap<string, string>;

export interface ExpandOptions {
  /** The Dockerfile's escape character (default `\`). */
  escape?: EscapeChar;
}

/** Lexer switches Docker uses internally (heredoc detection), not for expansion. */
export interface LexOptions {
  escape: string;
  /** Keep quote characters in the result. */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written. */
  skipUnset?: boolean;
}

interface Lexed {
  word: string;
  words: string[];
}

/**
 * Expands one word the way Docker's builder does for ENV, LABEL, WORKDIR,
 * COPY and the like: `$VAR`, `${VAR}` and the `${VAR:-x}` family, quote
 * removal, escapes; unquoted whitespace is kept, the result is one string.
 * Throws invalid-argument with Docker's wording on a syntax error or `${X:?}`.
 */
export function expandWord(word: string, env: ExpansionEnv, options: ExpandOptions = {}): string {
  return lex(word, env, { escape: options.escape ?? '\\' }).word;
}

/**
 * Expands and splits into words at unquoted whitespace, including whitespace
 * that comes from an unquoted variable's value. Docker does this for EXPOSE
 * only (`EXPOSE $PORTS` with PORTS="80 443" exposes two ports).
 */
export function expandWords(word: string, env: ExpansionEnv, options: ExpandOptions = {}): string[] {
  return lex(word, env, { escape: options.escape ?? '\\' }).words;
}

export function lex(source: string, env: ExpansionEnv, options: LexOptions): Lexed {
  try {
    return new ShellWord(source, env, options).processStopOn(undefined);
  } catch (e: unknown) {
    if (e instanceof LexError) throw invalidArgument(`failed to process "${source}": ${e.message}`);
    throw e;
  }
}

class LexError extends Error {}

/** Words being collected; `inWord` tracks quoted empty strings (`""` is no word). */
class WordList {
  private current = '';
  private inWord = false;
  private readonly done: string[] = [];

  addChar(ch: string): void {
    if (!isSpace(ch)) this.addRaw(ch);
    else if (this.inWord && this.current !== '') this.flush();
  }

  addSplitting(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRaw(text: string): void {
    this.current += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.current !== '') this.flush();
    return this.done;
  }

  private flush(): void {
    this.done.push(this.current);
    this.current = '';
    this.inWord = false;
  }
}

function isSpace(ch: string): boolean {
  return /^\s$/u.test(ch);
}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;

  constructor(
    source: string,
    private readonly env: ExpansionEnv,
    private readonly options: LexOptions,
  ) {
    this.chars = Array.from(source);
    this.rawEscapes = options.rawEscapes === true;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    const ch = this.chars[this.pos];
    if (ch !== undefined) this.pos++;
    return ch;
  }

  /** Reads until `stop` (consumed) or the end; `stop` undefined means the end. */
  processStopOn(stop: string | undefined, rawEscapes = this.rawEscapes): Lexed {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      return this.readUntil(stop);
    } finally {
      this.rawEscapes = saved;
    }
  }

  private readUntil(stop: string | undefined): Lexed {
    let result = '';
    const words = new WordList();
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (ch === stop) {
        this.next();
        return { word: result, words: words.finish() };
      }
      if (ch === "'" || ch === '"' || ch === '$') {
        const text = ch === "'" ? this.singleQuote() : ch === '"' ? this.doubleQuote() : this.dollar();
        result += text;
        if (ch === '$') words.addSplitting(text);
        else words.addRaw(text);
        continue;
      }
      this.next();
      if (ch === this.options.escape) {
        if (this.rawEscapes) {
          words.addRaw(ch);
          result += ch;
        }
        const escaped = this.next();
        // A trailing escape character is dropped.
        if (escaped === undefined) break;
        words.addRaw(escaped);
        result += escaped;
        continue;
      }
      words.addChar(ch);
      result += ch;
    }
    if (stop !== undefined) throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
    return { word: result, words: words.finish() };
  }

  private singleQuote(): string {
    // Nothing can be escaped inside single quotes, not even a single quote.
    const raw = this.options.rawQuotes === true;
    let result = raw ? (this.next() ?? '') : (this.next(), '');
    for (;;) {
      const ch = this.next();
      if (ch === undefined) throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return raw ? result + ch : result;
      result += ch;
    }
  }

  private doubleQuote(): string {
    const raw = this.options.rawQuotes === true;
    let result = raw ? (this.next() ?? '') : (this.next(), '');
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        this.next();
        return raw ? result + ch : result;
      }
      if (ch === '$') {
        result += this.dollar();
        continue;
      }
      this.next();
      if (ch !== this.options.escape) {
        result += ch;
        continue;
      }
      if (this.rawEscapes) result += ch;
      const following = this.peek();
      // Only `"`, `$` and the escape character itself can be escaped here;
      // elsewhere the escape character stays, as in sh.
      if (following === '"' || following === '$' || following === this.options.escape) {
        result += this.next() ?? '';
      } else if (following !== undefined && !this.rawEscapes) {
        result += ch;
      }
    }
  }

  private dollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      const value = this.env.get(name);
      if (value === undefined && this.options.skipUnset) return `$${name}`;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
    const name = this.name();
    const op = this.next();
    if (op === undefined) throw new LexError("syntax error: missing '}'");
    if (op === '}') {
      const value = this.env.get(name);
      if (value === undefined && this.options.skipUnset) return `\${${name}}`;
      return value ?? '';
    }
    return this.modifier(name, op);
  }

  private modifier(name: string, op: string): string {
    if (op === '/') return this.replacement(name);
    let ch = op;
    let written = op;
    if (op === ':') {
      ch = this.next() ?? '';
      written += ch;
    }
    if (!['-', '+', '?', '#', '%'].includes(ch) || ch === '') {
      throw new LexError(`unsupported modifier (${written}) in substitution`);
    }
    // Pattern words keep their escapes so `\*` can mean a literal star.
    let word = this.wordUntil('}', ch === '#' || ch === '%');
    const value = this.env.get(name);
    if (value === undefined && this.options.skipUnset) return `\${${name}${written}${word}}`;
    let operator = written;
    if (ch === '#' || ch === '%') {
      operator = ch;
      if (word.startsWith(ch)) {
        operator += ch;
        word = word.slice(1);
      }
    }
    return this.substituted({ name, operator, value, word });
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`. */
  private replacement(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const word = this.wordUntil('/', true);
    const replacement = this.wordUntil('}', true);
    const value = this.env.get(name);
    if (value === undefined && this.options.skipUnset) return `\${${name}/${word}/${replacement}}`;
    return this.substituted({ name, operator: all ? '//' : '/', value, word, replacement });
  }

  private substituted(sub: Substitution): string {
    const result = substitute(sub);
    if (result.error !== undefined) throw new LexError(result.error);
    return result.value;
  }

  /** The word of `${name<op>word}`, up to `stop`, which must be there. */
  private wordUntil(stop: string, rawEscapes: boolean): string {
    try {
      return this.processStopOn(stop, rawEscapes).word;
    } catch (e: unknown) {
      if (e instanceof LexError && this.peek() === undefined) {
        throw new LexError(stop === '/' ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'");
      }
      throw e;
    }
  }

  private name(): string {
    const first = this.peek();
    if (first === undefined) return '';
    if (/^\p{Nd}$/u.test(first)) {
      let digits = '';
      while (/^\p{Nd}$/u.test(this.peek() ?? '')) digits += this.next() ?? '';
      return digits;
    }
    if (SPECIAL_PARAMS.has(first)) return this.next() ?? '';
    let name = '';
    while (/^[\p{L}\p{N}_]$/u.test(this.peek() ?? '')) name += this.next() ?? '';
    return name;
  }
}
