/**
 * A small elastic-tabstop writer with the semantics of Go's text/tabwriter
 * (left-aligned, space padding, no flags), which is what gives the docker CLI
 * its table layout. Cells are tab-terminated; the text after the last tab of
 * a line is not part of any column. A column block is a run of consecutive
 * lines that all have a cell in that column; each block gets its own width.
 */

export interface TabwriterOptions {
  /** Minimal cell width including padding. */
  minWidth: number;
  /** Spaces added to the widest cell of a column. */
  padding: number;
}

/** The settings docker uses for every table: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`. */
const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, padding: 3 };

/** Aligns tab-separated text; lines are separated by '\n'. */
export function tabwrite(text: string, options: TabwriterOptions = DOCKER_TABLE): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];
  formatBlock(lines, 0, lines.length, widths, options, out);
  return out.join('\n');
}

/** Go counts runes, not UTF-16 units or display columns. */
function runeWidth(s: string): number {
  return [...s].length;
}

function formatBlock(
  lines: string[][],
  line0: number,
  line1: number,
  widths: number[],
  options: TabwriterOptions,
  out: string[],
): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= (lines[i] as string[]).length - 1) continue;
    // A cell in this column begins a block: flush the lines before it.
    writeLines(lines, start, i, widths, out);
    start = i;
    let width = options.minWidth;
    for (; i < line1; i++) {
      const line = lines[i] as string[];
      if (column >= line.length - 1) break;
      width = Math.max(width, runeWidth(line[column] as string) + options.padding);
    }
    widths.push(width);
    formatBlock(lines, start, i, widths, options, out);
    widths.pop();
    start = i;
  }
  writeLines(lines, start, line1, widths, out);
}

function writeLines(lines: string[][], from: number, to: number, widths: number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = lines[i] as string[];
    let text = '';
    cells.forEach((cell, j) => {
      text += cell;
      const width = widths[j];
      if (j < cells.length - 1 && width !== undefined) text += ' '.repeat(Math.max(width - runeWidth(cell), 0));
    });
    out.push(text);
  }
}
