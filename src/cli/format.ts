/**
 * `--format` handling shared by list and inspect commands, following the
 * docker CLI: `table` (the command's default columns), `table TEMPLATE`
 * (a header row from the column names, then aligned rows), `json` (one JSON
 * object per row) and a bare `TEMPLATE` (one line per row, no alignment).
 */
import { invalidArgument } from '../kernel/index.js';
import { tabwrite } from './table.js';
import { compileTemplate, HEADER_FUNCS, TemplateError, type FormatContext, type Template } from './template.js';

export const TABLE_FORMAT = 'table';
export const JSON_FORMAT = 'json';

export function isTableFormat(format: string): boolean {
  return format.startsWith(TABLE_FORMAT);
}

/** The template inside a format string: `json` → `{{json .}}`, `\t`/`\n` escapes made real. */
export function templateString(format: string): string {
  if (format === TABLE_FORMAT) return '';
  if (format === JSON_FORMAT) return '{{json .}}';
  const body = format.startsWith(TABLE_FORMAT) ? format.slice(TABLE_FORMAT.length) : format;
  return body
    .replace(/^ +| +$/g, '')
    .replace(/\\t/g, '\t')
    .replace(/\\n/g, '\n');
}

export function parseFormat(template: string, funcs?: Parameters<typeof compileTemplate>[1]): Template {
  try {
    return compileTemplate(template, funcs);
  } catch (e: unknown) {
    throw templateError(e);
  }
}

function templateError(e: unknown): Error {
  if (e instanceof TemplateError) return invalidArgument(`template parsing error: ${e.message}`, e);
  return e instanceof Error ? e : new Error(String(e));
}

function execute(template: Template, data: unknown): string {
  try {
    return template.execute(data);
  } catch (e: unknown) {
    throw templateError(e);
  }
}

/**
 * Renders rows with a format: the header row is the same template run over
 * the column names (`headers`: field → column title), so custom tables get
 * headers for free.
 */
export function formatRows(format: string, rows: readonly FormatContext[], headers: Record<string, string>): string {
  const source = templateString(format);
  const template = parseFormat(source);
  const body = rows.map((row) => execute(template, row) + '\n').join('');
  if (!isTableFormat(format)) return body;
  const header = execute(parseFormat(source, HEADER_FUNCS), headers);
  return tabwrite(`${header}\n${body}`);
}

/**
 * Output of `inspect`: an indented JSON array by default, compact with
 * `json`, or one template result per object.
 */
export function formatInspect(format: string, objects: readonly unknown[]): string {
  if (format === '') return JSON.stringify(objects, null, 4) + '\n';
  if (format === JSON_FORMAT) return JSON.stringify(objects) + '\n';
  const template = parseFormat(format);
  const out = objects.map((o) => execute(template, o) + '\n').join('');
  return out === '' ? '\n' : out;
}
