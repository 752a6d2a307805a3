import { invalidArgument } from '../../kernel/index.js';
import type { Directives, ParseWarning } from './types.js';

/** One instruction's text: its physical lines joined, escapes and comment lines removed. */
export interface LogicalLine {
  text: string;
  line: number;
  endLine: number;
}

const UTF8_BOM = '\uFEFF';
/** `# key=value` before any other line; Docker's directive syntax. */
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/u;

export function parseError(line: number, message: string): Error {
  return invalidArgument(`Dockerfile parse error line ${line}: ${message}`);
}

/**
 * Reads a Dockerfile as Docker's parser does: parser directives at the very
 * top, then logical lines (continuations joined, comment and blank lines
 * skipped, also inside a continuation), and on request the body of a heredoc.
 */
export class LineScanner {
  readonly directives: Directives = { escape: '\\' };
  readonly warnings: ParseWarning[] = [];
  private readonly lines: string[];
  private pos = 0;
  private directivesDone = false;
  private readonly seenDirectives = new Set<string>();
  private continuation = continuationPattern('\\');

  constructor(text: string) {
    const body = text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text;
    // Split after each newline so heredoc bodies keep their line endings.
    this.lines = body.split(/(?<=\n)/u);
    if (this.lines.at(-1) === '') this.lines.pop();
  }

  /** The line number (1-based) of the last line read. */
  get lineNumber(): number {
    return this.pos;
  }

  nextLogicalLine(): LogicalLine | undefined {
    while (this.pos < this.lines.length) {
      const first = this.processLine(this.take(), true);
      const start = this.pos;
      const [text, ended] = this.trimContinuation(first);
      if (ended && text === '') continue;
      return this.continueLine(text, ended, start);
    }
    return undefined;
  }

  /**
   * Reads a heredoc body up to its terminator line. Returns undefined when the
   * file ends first. With `chomp` (`<<-`) leading tabs go from the terminator
   * and from every body line.
   */
  readHeredoc(name: string, chomp: boolean): string | undefined {
    let content = '';
    while (this.pos < this.lines.length) {
      const raw = this.take();
      let candidate = trimNewline(raw);
      if (chomp) candidate = candidate.replace(/^\t+/u, '');
      if (candidate === name) return content;
      content += chomp ? raw.replace(/^\t+/u, '') : raw;
    }
    return undefined;
  }

  private continueLine(text: string, ended: boolean, start: number): LogicalLine {
    let joined = text;
    let hasEmpty = false;
    for (let done = ended; !done && this.pos < this.lines.length;) {
      const raw = this.take();
      const stripped = trimNewline(raw).replace(/^\s+/u, '');
      this.processLine(raw, false);
      if (stripped.startsWith('#')) continue;
      if (stripped === '') {
        hasEmpty = true;
        continue;
      }
      const [part, partEnded] = this.trimContinuation(trimNewline(raw));
      joined += part;
      done = partEnded;
    }
    if (hasEmpty) {
      this.warnings.push({
        line: start,
        message: `Empty continuation line found in: ${joined}; empty continuation lines will become errors in a future release`,
      });
    }
    return { text: joined, line: start, endLine: this.pos };
  }

  private take(): string {
    return this.lines[this.pos++] ?? '';
  }

  /** Newline and (optionally) leading space removed, a comment line emptied; directives noted. */
  private processLine(raw: string, stripLeft: boolean): string {
    let token = trimNewline(raw);
    if (stripLeft) token = token.replace(/^\s+/u, '');
    this.parseDirective(token);
    return token.startsWith('#') ? '' : token;
  }

  private trimContinuation(line: string): [text: string, ended: boolean] {
    if (!this.continuation.test(line)) return [line, true];
    return [line.replace(this.continuation, '$1'), false];
  }

  private parseDirective(line: string): void {
    if (this.directivesDone) return;
    const match = DIRECTIVE.exec(line);
    if (!match) {
      this.directivesDone = true;
      return;
    }
    const key = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    // An unknown directive is an ordinary comment and ends the directives.
    if (key !== 'escape' && key !== 'syntax') {
      this.directivesDone = true;
      return;
    }
    if (this.seenDirectives.has(key)) throw parseError(this.pos, `only one ${key} parser directive can be used`);
    this.seenDirectives.add(key);
    if (key === 'escape') this.setEscape(value);
    if (key === 'syntax') {
      this.directives.syntax = value;
      this.warnings.push({
        line: this.pos,
        message: `the syntax directive (${value}) is ignored: berth has one Dockerfile frontend`,
      });
    }
  }

  private setEscape(value: string): void {
    if (value !== '\\' && value !== '`') {
      throw parseError(this.pos, `invalid escape token '${value}' does not match \` or \\`);
    }
    this.directives.escape = value;
    this.continuation = continuationPattern(value);
  }
}

/**
 * The escape character at the end of a line (blanks may follow) continues
 * it, unless the escape character itself is escaped (`\\` at the end).
 */
function continuationPattern(escape: string): RegExp {
  const e = escape === '`' ? '`' : '\\\\';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`, 'u');
}

function trimNewline(line: string): string {
  return line.replace(/[\r\n]+$/u, '');
}
