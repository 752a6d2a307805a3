/**
 * Parser for the subset of Go's text/template that `--format` users write:
 * text, `{{.Field.Sub}}`, `{{.}}`, function calls (`json .`, `join .X ","`),
 * pipes (`.X | upper`), parentheses, `if`/`else if`/`else`, `range`, `with`,
 * `end`, trim markers `{{-`/`-}}` and comments. Variables (`$x :=`) are not
 * supported; `$` alone is the root value.
 */

export type Operand =
  | { kind: 'field'; root: boolean; path: string[] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'ident'; name: string }
  | { kind: 'pipe'; pipe: Pipeline };

/** One command of a pipeline: a function name with arguments, or a single value. */
type Command = Operand[];
export type Pipeline = Command[];

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with' | 'range'; pipe: Pipeline; body: TemplateNode[]; otherwise: TemplateNode[] };

export class TemplateError extends Error {
  override name = 'TemplateError';
}

interface Frame {
  node: Extract<TemplateNode, { kind: 'if' | 'with' | 'range' }>;
  inElse: boolean;
  /** `else if` opens a nested `if` that the same `end` closes. */
  chained: boolean;
}

/** Parses a template into a node list; throws TemplateError on bad syntax. */
export function parseTemplate(source: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  const target = (): TemplateNode[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    return top.inElse ? top.node.otherwise : top.node.body;
  };
  for (const piece of splitActions(source)) {
    if (typeof piece === 'string') {
      if (piece !== '') target().push({ kind: 'text', text: piece });
      continue;
    }
    const words = piece.action.trim();
    if (words.startsWith('/*')) continue;
    const [keyword = '', rest = ''] = splitKeyword(words);
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      const node: Frame['node'] = { kind: keyword, pipe: parsePipeline(rest), body: [], otherwise: [] };
      target().push(node);
      stack.push({ node, inElse: false, chained: false });
    } else if (keyword === 'else') {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new TemplateError('unexpected {{else}}');
      top.inElse = true;
      if (rest.startsWith('if ')) {
        const node: Frame['node'] = { kind: 'if', pipe: parsePipeline(rest.slice(3)), body: [], otherwise: [] };
        top.node.otherwise.push(node);
        stack.push({ node, inElse: false, chained: true });
      }
    } else if (keyword === 'end') {
      let top = stack.pop();
      if (!top) throw new TemplateError('unexpected {{end}}');
      while (top?.chained) top = stack.pop();
    } else {
      target().push({ kind: 'action', pipe: parsePipeline(words) });
    }
  }
  if (stack.length > 0) throw new TemplateError(`unexpected EOF: missing {{end}}`);
  return root;
}

function splitKeyword(words: string): [string, string] {
  const m = /^(if|with|range|else|end)\b\s*(.*)$/s.exec(words);
  return m ? [m[1] as string, (m[2] as string).trim()] : ['', words];
}

/** Text pieces (strings) and action bodies, with trim markers applied. */
function splitActions(source: string): Array<string | { action: string }> {
  const out: Array<string | { action: string }> = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open === -1) {
      out.push(text);
      break;
    }
    const close = findClose(source, open + 2);
    let body = source.slice(open + 2, close);
    if (/^-\s/.test(body)) {
      text = text.replace(/\s+$/, '');
      body = body.slice(1);
    }
    trimNext = /\s-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    out.push(text, { action: body });
    pos = close + 2;
  }
  return out;
}

/** The index of the `}}` closing an action, skipping quoted strings. */
function findClose(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && source[i + 1] === '}') return i;
  }
  throw new TemplateError('unclosed action');
}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|([|()])|(\$?(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.|\$)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new TemplateError(`unexpected "${text.slice(at).trim()[0]}" in command`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function parsePipeline(text: string): Pipeline {
  const tokens = tokenize(text);
  let i = 0;
  const pipeline = (): Pipeline => {
    const cmds: Pipeline = [[]];
    while (i < tokens.length && tokens[i] !== ')') {
      const tok = tokens[i++] as string;
      if (tok === '|') cmds.push([]);
      else if (tok === '(') {
        (cmds[cmds.length - 1] as Command).push({ kind: 'pipe', pipe: pipeline() });
        if (tokens[i++] !== ')') throw new TemplateError('unclosed left paren');
      } else (cmds[cmds.length - 1] as Command).push(operand(tok));
    }
    if (cmds.some((c) => c.length === 0)) throw new TemplateError(`missing value for command: ${text}`);
    return cmds;
  };
  const result = pipeline();
  if (i < tokens.length) throw new TemplateError(`unexpected ")" in command`);
  return result;
}

function operand(tok: string): Operand {
  if (tok.startsWith('"')) return { kind: 'literal', value: JSON.parse(tok) as string };
  if (tok.startsWith('`')) return { kind: 'literal', value: tok.slice(1, -1) };
  if (tok === '.' || tok === '$') return { kind: 'field', root: tok === '$', path: [] };
  if (tok.startsWith('.') || tok.startsWith('$.')) {
    const root = tok.startsWith('$');
    return { kind: 'field', root, path: tok.slice(root ? 2 : 1).split('.') };
  }
  if (/^-?\d/.test(tok)) return { kind: 'literal', value: Number(tok) };
  if (tok === 'true' || tok === 'false') return { kind: 'literal', value: tok === 'true' };
  if (tok === 'nil') return { kind: 'literal', value: null };
  return { kind: 'ident', name: tok };
}
