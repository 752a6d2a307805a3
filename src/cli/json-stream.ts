/**
 * Splits a byte stream of concatenated JSON values (Docker's progress
 * streams: one object per line, "\r\n" or "\n", but a decoder must not rely
 * on that) into parsed values, without buffering the whole stream.
 */
export async function* readJSONValues(source: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  const splitter = new JSONSplitter();
  for await (const chunk of source) {
    yield* splitter.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  }
  const rest = splitter.end();
  if (rest !== undefined) yield rest;
}

/** Incremental scanner: tracks string/escape state and nesting depth of objects and arrays. */
class JSONSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scanned = 0;

  *push(text: string): Generator<unknown> {
    this.buffer += text;
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          const value = this.buffer.slice(0, i + 1);
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          yield JSON.parse(value) as unknown;
        }
      }
    }
    if (this.depth === 0 && this.buffer.trim() === '') this.buffer = '';
    this.scanned = this.buffer.length;
  }

  /** What is left at end of stream: a trailing scalar; a truncated value throws. */
  end(): unknown {
    const rest = this.buffer.trim();
    return rest === '' ? undefined : (JSON.parse(rest) as unknown);
  }
}
