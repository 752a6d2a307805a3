// Schema-aware traversal and clean-up of JSON Schema draft-04 / Swagger 2.0
// schema objects. Traversal only descends where a keyword's value is a schema
// (or a list or map of schemas), so a property that happens to be called
// "description" or "enum" is never mistaken for the keyword.

const SCHEMA_VALUED = new Set(['items', 'additionalItems', 'additionalProperties', 'not']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'items']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

// Text meant for people. None of it reaches src/spec/ (STYLE §1.10).
const PROSE_KEYWORDS = ['description', 'title', 'example', 'examples', '$comment'];

const ANY_OBJECT = 'Record<string, unknown>';

// The keywords json-schema-to-typescript turns into types; everything else
// (patterns, bounds, formats, defaults, vendor extensions) only matters to
// validators and is dropped before type generation.
const TYPE_KEYWORDS = new Set([
  '$ref',
  'type',
  'enum',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'tsType',
]);

/** @typedef {{ pointer: string, keyword: string | null }} SchemaAt */

/** @returns {value is Record<string, any>} */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(token) {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescapePointer(token) {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Looks up a JSON pointer ("" or "/a/b") in a document; throws when absent. */
export function resolvePointer(document, pointer, where) {
  let node = document;
  for (const token of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = unescapePointer(token);
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`codegen: ${where} does not exist`);
    node = node[key];
    if (node === undefined) throw new Error(`codegen: ${where} does not exist`);
  }
  return node;
}

/**
 * Rebuilds a schema. `enter(node, at)` runs before descending and may return a
 * replacement (which is used as is); `leave(node, at)` runs on the rebuilt
 * node. `at` is { pointer, keyword } with keyword the parent keyword.
 *
 * @param {unknown} schema
 * @param {{ enter?: (node: any, at: SchemaAt) => any, leave?: (node: any, at: SchemaAt) => any }} hooks
 * @param {string} [pointer]
 * @param {string | null} [keyword]
 * @returns {any}
 */
export function mapSchema(schema, hooks, pointer = '', keyword = null) {
  if (!isObject(schema)) return schema;
  const at = { pointer, keyword };
  const replaced = hooks.enter?.(schema, at);
  if (replaced !== undefined) return replaced;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    const here = `${pointer}/${escapePointer(key)}`;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [
          name,
          mapSchema(sub, hooks, `${here}/${escapePointer(name)}`, key),
        ]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub, i) => mapSchema(sub, hooks, `${here}/${i}`, key));
    } else if (SCHEMA_VALUED.has(key) && isObject(value)) {
      out[key] = mapSchema(value, hooks, here, key);
    } else {
      out[key] = value;
    }
  }
  return hooks.leave ? hooks.leave(out, at) : out;
}

const isKeyword = (key) => SCHEMA_MAPS.has(key) || SCHEMA_LISTS.has(key) || SCHEMA_VALUED.has(key);

/**
 * Root keys of a schema file that hold a schema without being a keyword.
 * runtime-spec's platform files are not schemas at their root but keep one
 * under a plain key (`config-linux.json#/linux`).
 */
export function containedKeys(document) {
  return Object.keys(document).filter(
    (key) => !isKeyword(key) && isObject(document[key]) && !key.startsWith('$') && !PROSE_KEYWORDS.includes(key),
  );
}

/** Like mapSchema for a whole schema file, including schemas under containedKeys(). */
export function mapSchemaFile(document, hooks) {
  const mapped = mapSchema(document, hooks);
  for (const key of containedKeys(document)) {
    mapped[key] = mapSchema(document[key], hooks, `/${escapePointer(key)}`, null);
  }
  return mapped;
}

export function withoutKeys(node, keys) {
  const out = { ...node };
  for (const key of keys) delete out[key];
  return out;
}

/** Drops prose keywords from one schema node. */
export function stripProse(node) {
  return withoutKeys(node, PROSE_KEYWORDS);
}

/**
 * Reduces one schema node to what decides its TypeScript type. An object
 * schema that names no properties at all becomes Record<string, unknown>
 * rather than `{}` (which in TypeScript means "any non-null value").
 */
export function keepTypeKeywords(node) {
  // Siblings of $ref are ignored by draft-04 and Swagger 2.0 alike.
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  const out = Object.fromEntries(Object.entries(node).filter(([key]) => TYPE_KEYWORDS.has(key)));
  if (Array.isArray(out.enum) && out.enum.some((value) => typeof value === 'object' && value !== null)) {
    delete out.enum;
  }
  if (Array.isArray(out.allOf)) {
    // `allOf: [{$ref: X}, {type: object}]` adds nothing to X but would widen
    // it to X & Record<string, unknown>.
    const members = out.allOf.filter((member) => member.tsType !== ANY_OBJECT);
    out.allOf = members.length > 0 ? members : out.allOf;
  }
  const open = out.additionalProperties === undefined || out.additionalProperties === true;
  const hasProperties = isObject(out.properties) && Object.keys(out.properties).length > 0;
  const composed = out.allOf || out.anyOf || out.oneOf || out.$ref;
  if (out.type === 'object' && !hasProperties && !out.patternProperties && open && !composed) {
    return { tsType: ANY_OBJECT };
  }
  if (isObject(out.properties) && !hasProperties) delete out.properties;
  return out;
}
