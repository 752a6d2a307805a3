// Standalone Ajv validators (draft-04), rewritten from Ajv's JavaScript into
// TypeScript that compiles under our strict tsconfig, so tsc emits them into
// dist/ like any other module. The rewrite is a fixed set of textual edits on
// Ajv's output; each one checks that it matched, so an Ajv upgrade that
// changes the shape of its output fails here rather than producing wrong code.
// Ajv's packages are CommonJS that also set `exports.default`; through
// Node's ESM default import that is `.default` on the module object.
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import ajvStandalone from 'ajv/dist/standalone/index.js';

const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
const standaloneCode = ajvStandalone.default;

/**
 * `schemas`: documents with `id` set; `exports`: { exportName: schemaId }.
 * Returns TypeScript source exporting one validator function per entry.
 */
export function emitValidators(schemas, exports) {
  const ajv = new Ajv({
    code: { source: true, esm: true },
    strict: true,
    allErrors: false,
    // One function per referenced definition instead of a copy at every use
    // site: runtime-spec's config schema is ten times larger inlined.
    inlineRefs: false,
  });
  addFormats(ajv);
  // A draft-04 hyper-schema annotation used by image-spec and runtime-spec
  // (`"media": {"binaryEncoding": "base64"}`); it does not constrain data.
  ajv.addKeyword({ keyword: 'media' });
  for (const schema of schemas) ajv.addSchema(schema);
  return toTypeScript(standaloneCode(ajv, exports));
}

function replaceAll(code, pattern, replacement, what, { atLeastOnce = true } = {}) {
  if (atLeastOnce && !new RegExp(pattern.source, pattern.flags.replace('g', '')).test(code)) {
    throw new Error(`codegen: Ajv output changed shape (no ${what})`);
  }
  return code.replace(pattern, replacement);
}

function toTypeScript(js) {
  let code = replaceAll(js, /^"use strict";/, '', '"use strict" prologue');
  // Ajv names each function after the schema file it came from; paths of
  // this machine must not leak into the output.
  code = replaceAll(code, /\/\*# sourceURL="[^"]*" \*\/;?/g, '', 'sourceURL comment', { atLeastOnce: false });
  code = dropUnusedSchemaConstants(code);
  code = typeFunctions(code);
  // Ajv concatenates callees' nullable `errors` into this list.
  code = replaceAll(code, /let vErrors = null;/g, 'let vErrors: any = null;', 'vErrors');
  // Without the annotation tsc cannot type `_errsN` (it narrows `errors`
  // against itself inside loops).
  code = replaceAll(code, /const (_errs\d+) = errors;/g, 'const $1: number = errors;', '_errs counters');
  const imports = [];
  code = rewriteRequires(code, imports);
  if (/\brequire\(/.test(code)) throw new Error('codegen: Ajv output still has require() after rewriting');
  const names = [...code.matchAll(/\bfunction (validate\d+)\(/g)].map((m) => m[1]);
  // Ajv keeps each validator's errors on the function object; tsc only accepts
  // such properties when they are first assigned at the top level.
  const errorSlots = names.map((name) => `${name}.errors = null as SchemaError[] | null;`).join('\n');
  const header = ["import type { SchemaError, ValidateContext } from './schema-error.js';", ...imports].join('\n');
  return `${header}\n${code}\n${errorSlots}\n`;
}

/** Ajv declares every schema it visited as a constant; most are never read. */
function dropUnusedSchemaConstants(code) {
  for (;;) {
    let removed = false;
    for (const match of code.matchAll(/const (schema\d+) = /g)) {
      const end = jsonEnd(code, match.index + match[0].length);
      if (code[end] !== ';') throw new Error('codegen: Ajv output changed shape (schema constant)');
      const rest = code.slice(0, match.index) + code.slice(end + 1);
      if (!new RegExp(`\\b${match[1]}\\b`).test(rest)) {
        code = rest;
        removed = true;
        break;
      }
    }
    if (!removed) return code;
  }
}

/** Index just past the JSON value starting at `start`. */
function jsonEnd(text, start) {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error('codegen: unterminated JSON in Ajv output');
}

const SIGNATURE =
  /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;

/**
 * Gives each validator a typed signature, keeping only the context fields
 * its body reads (unused bindings fail noUnusedParameters). A field name
 * followed by ":" is a key in a call to another validator, not a use.
 */
function typeFunctions(code) {
  const parts = code.split(/(?=function validate\d+\()/);
  const typed = parts.map((part) =>
    part.replace(new RegExp(SIGNATURE.source), (signature, name) => {
      const body = part.slice(signature.length);
      const used = ['parentData', 'parentDataProperty', 'rootData'].filter((field) =>
        new RegExp(`\\b${field}\\b(?!\\s*:)`).test(body),
      );
      const fields = ['instancePath = ""', ...used.map((field) => (field === 'rootData' ? 'rootData = data' : field))];
      return `function ${name}(data: any, { ${fields.join(', ')} }: ValidateContext = {}): boolean {`;
    }),
  );
  const out = typed.join('');
  if (SIGNATURE.test(out) || !out.includes(': ValidateContext = {}')) {
    throw new Error('codegen: Ajv output changed shape (validator signature)');
  }
  return out;
}

/**
 * Ajv refers to runtime helpers (ucs2length, deep equality, ajv-formats) with
 * require(). Node's ESM loader gives a CommonJS module's `module.exports` as
 * the default import, which is also how tsc types it under NodeNext, so
 * `require("m").x` becomes `m.x` on a default import of "m.js".
 */
function rewriteRequires(code, imports) {
  const modules = new Map();
  const local = (specifier) => {
    if (!modules.has(specifier)) {
      const name = `runtime${modules.size}`;
      modules.set(specifier, name);
      imports.push(`import ${name} from '${specifier}.js';`);
    }
    return modules.get(specifier);
  };
  // Format entries are a union of validator shapes; Ajv knows which one it
  // emitted a call for, tsc does not.
  const typed = code.replace(/const (formats\d+) = require\(/g, 'const $1: any = require(');
  return typed.replace(/require\("([^"]+)"\)/g, (_, specifier) => local(specifier));
}
