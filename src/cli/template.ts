/**
 * Executes `--format` templates (see template-parse.ts for the syntax) with
 * the docker CLI's function set (json, split, join, title, lower, upper, pad,
 * truncate) plus Go's builtins index, len, eq, ne, not, and, or. Values print
 * the way Go's fmt prints decoded JSON: `[a b]`, `map[k:v]`, `<no value>`.
 */
import { parseTemplate, TemplateError, type Operand, type Pipeline, type TemplateNode } from './template-parse.js';

export { TemplateError } from './template-parse.js';

export type TemplateFunc = (...args: unknown[]) => unknown;

/**
 * A row the CLI built for a list (docker's formatter "context"): it behaves
 * like a Go struct — an unknown field is an error — and `json .` marshals it
 * with sorted keys and HTML-escaped `<>&`, as docker's formatter does.
 */
export class FormatContext {
  constructor(
    readonly fields: Readonly<Record<string, unknown>>,
    readonly typeName: string,
  ) {}
}

export interface Template {
  execute(data: unknown): string;
}

/** Parses once; `funcs` replaces or adds functions (table headers use identity functions). */
export function compileTemplate(source: string, funcs: Record<string, TemplateFunc> = {}): Template {
  const nodes = parseTemplate(source);
  const table = { ...BASIC_FUNCS, ...funcs };
  return {
    execute(data: unknown): string {
      const out: string[] = [];
      run(nodes, { dot: data, root: data, funcs: table }, out);
      return out.join('');
    },
  };
}

interface Scope {
  dot: unknown;
  root: unknown;
  funcs: Record<string, TemplateFunc>;
}

function run(nodes: TemplateNode[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') out.push(node.text);
    else if (node.kind === 'action') out.push(printValue(evalPipeline(node.pipe, scope)));
    else if (node.kind === 'if') {
      run(truthy(evalPipeline(node.pipe, scope)) ? node.body : node.otherwise, scope, out);
    } else if (node.kind === 'with') {
      const value = evalPipeline(node.pipe, scope);
      if (truthy(value)) run(node.body, { ...scope, dot: value }, out);
      else run(node.otherwise, scope, out);
    } else {
      const items = rangeItems(evalPipeline(node.pipe, scope));
      if (items.length === 0) run(node.otherwise, scope, out);
      for (const item of items) run(node.body, { ...scope, dot: item }, out);
    }
  }
}

function rangeItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value))
    return Object.keys(value)
      .sort()
      .map((k) => value[k]);
  if (value === undefined || value === null) return [];
  throw new TemplateError(`range can't iterate over ${printValue(value)}`);
}

const NOTHING = Symbol('nothing');

function evalPipeline(pipe: Pipeline, scope: Scope): unknown {
  let value: unknown = NOTHING;
  for (const cmd of pipe) value = evalCommand(cmd, scope, value);
  return value;
}

function evalCommand(cmd: Operand[], scope: Scope, piped: unknown): unknown {
  const [first, ...rest] = cmd;
  if (first?.kind === 'ident') {
    const fn = scope.funcs[first.name];
    if (!fn) throw new TemplateError(`function "${first.name}" not defined`);
    const args = rest.map((op) => evalOperand(op, scope));
    if (piped !== NOTHING) args.push(piped);
    return fn(...args);
  }
  if (!first || rest.length > 0 || piped !== NOTHING) {
    throw new TemplateError(`can't give argument to non-function`);
  }
  return evalOperand(first, scope);
}

function evalOperand(op: Operand, scope: Scope): unknown {
  switch (op.kind) {
    case 'literal':
      return op.value;
    case 'pipe':
      return evalPipeline(op.pipe, scope);
    case 'ident':
      return evalCommand([op], scope, NOTHING);
    case 'field':
      return op.path.reduce<unknown>((value, name) => field(value, name), op.root ? scope.root : scope.dot);
  }
}

function field(value: unknown, name: string): unknown {
  if (value instanceof FormatContext) {
    if (!(name in value.fields)) throw new TemplateError(`can't evaluate field ${name} in type ${value.typeName}`);
    return value.fields[name];
  }
  if (isPlainObject(value)) return Object.hasOwn(value, name) ? value[name] : undefined;
  if (value === undefined || value === null) return undefined;
  throw new TemplateError(`can't evaluate field ${name} in type ${Array.isArray(value) ? 'array' : typeof value}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FormatContext);
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Go's `%v` for values decoded from JSON. */
export function printValue(v: unknown): string {
  if (v === undefined || v === NOTHING) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (v instanceof FormatContext) return `{${Object.values(v.fields).map(printValue).join(' ')}}`;
  if (isPlainObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${printValue(v[k])}`)
      .join(' ')}]`;
  }
  return typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : Object.prototype.toString.call(v);
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** docker's `json` function; FormatContext rows marshal like docker's formatter contexts. */
export function toJSON(v: unknown): string {
  if (v instanceof FormatContext) {
    const sorted = Object.fromEntries(
      Object.keys(v.fields)
        .sort()
        .map((k) => [k, v.fields[k]]),
    );
    return JSON.stringify(sorted).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  }
  return JSON.stringify(v === undefined ? null : v) ?? 'null';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : printValue(v));

function join(elems: unknown, sep: unknown): string {
  if (elems === undefined || elems === null) return '';
  if (Array.isArray(elems)) return elems.map(printValue).join(str(sep));
  if (isPlainObject(elems)) return Object.values(elems).map(printValue).sort().join(str(sep));
  throw new TemplateError(`expected slice, got ${typeof elems}`);
}

function index(value: unknown, ...keys: unknown[]): unknown {
  return keys.reduce<unknown>((v, key) => {
    if (Array.isArray(v) && typeof key === 'number') {
      if (key < 0 || key >= v.length) throw new TemplateError(`index out of range: ${key}`);
      return v[key];
    }
    if (isPlainObject(v)) return v[str(key)];
    if (v instanceof FormatContext) return field(v, str(key));
    throw new TemplateError(`can't index item of type ${typeof v}`);
  }, value);
}

function length(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  throw new TemplateError(`len of type ${typeof v}`);
}

const firstOr = (i: number, last: number): number => (i === -1 ? last : i);

const BASIC_FUNCS: Record<string, TemplateFunc> = {
  json: (v) => toJSON(v),
  split: (s, sep) => str(s).split(str(sep)),
  join,
  title: (s) => str(s).replace(/(^|[^A-Za-z0-9_'])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  pad: (s, prefix, suffix) => (str(s) === '' ? '' : ' '.repeat(Number(prefix)) + str(s) + ' '.repeat(Number(suffix))),
  truncate: (s, n) => (str(s).length < Number(n) ? str(s) : str(s).slice(0, Number(n))),
  index,
  len: length,
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  not: (v) => !truthy(v),
  and: (...vs) =>
    vs[
      firstOr(
        vs.findIndex((v) => !truthy(v)),
        vs.length - 1,
      )
    ],
  or: (...vs) =>
    vs[
      firstOr(
        vs.findIndex((v) => truthy(v)),
        vs.length - 1,
      )
    ],
};

/** docker's header functions: formatting functions pass the header text through. */
export const HEADER_FUNCS: Record<string, TemplateFunc> = Object.fromEntries(
  ['json', 'split', 'join', 'title', 'lower', 'upper', 'truncate', 'pad'].map((name) => [name, (v: unknown) => v]),
);
