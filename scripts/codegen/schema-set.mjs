// A folder of JSON schema files that refer to each other by file name
// (../shared/spec/README.md, "Using the schemas"), and the bundle of named
// definitions that type generation works from.
import fs from 'node:fs';
import path from 'node:path';
import {
  containedKeys,
  keepTypeKeywords,
  mapSchema,
  mapSchemaFile,
  resolvePointer,
  stripProse,
  withoutKeys,
} from './json-schema.mjs';

/** Reads every *.json file of a folder, in name order: Map<fileName, document>. */
export function readSchemaSet(dir) {
  const names = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return new Map(names.map((name) => [name, JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))]));
}

/**
 * The schemas as Ajv should see them: no prose, and every file identified by
 * its bare name. image-spec files carry `id` URLs whose bases disagree with
 * the bare file names they use in `$ref`, and nested `id`s would move the
 * resolution base in draft-04, so all ids are replaced. runtime-spec's
 * platform files keep their schema under a plain root key
 * (`config-linux.json#/linux`), which strict Ajv rejects as an unknown
 * keyword; those move under `definitions` and references follow them.
 */
export function schemasForValidation(set) {
  const moved = new Map([...set].map(([file, document]) => [file, containedKeys(document)]));
  const relocate = (location) => {
    const { file, pointer } = splitLocation(location);
    const key = pointer.split('/')[1];
    return moved.get(file)?.includes(key) ? `${file}#/definitions${pointer}` : location;
  };
  return [...set].map(([file, document]) => {
    const cleaned = mapSchemaFile(document, {
      leave(node) {
        const bare = withoutKeys(stripProse(node), ['id', '$schema']);
        if (typeof bare.$ref !== 'string') return bare;
        const target = relocate(refLocation(bare.$ref, file));
        return { ...bare, $ref: target.startsWith(`${file}#`) ? target.slice(file.length) : target };
      },
    });
    const contained = moved.get(file) ?? [];
    if (contained.length === 0) return { id: file, ...cleaned };
    const rest = withoutKeys(cleaned, contained);
    const definitions = { ...rest.definitions, ...Object.fromEntries(contained.map((key) => [key, cleaned[key]])) };
    return { id: file, ...rest, definitions };
  });
}

/** "file.json#/pointer" for a $ref met in `file`; references are resolved by file name. */
function refLocation(ref, file) {
  const hash = ref.indexOf('#');
  const target = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  const targetFile = target === '' ? file : target.slice(target.lastIndexOf('/') + 1);
  return `${targetFile}#${pointer}`;
}

function splitLocation(location) {
  const hash = location.indexOf('#');
  return { file: location.slice(0, hash), pointer: location.slice(hash + 1) };
}

/**
 * Builds `{ definitions }` for json-schema-to-typescript with every reference
 * resolved: a location that has a name (from `names`, "file#pointer" → Name,
 * or from `autoName(location, schema)`) becomes a definition referred to by
 * `#/definitions/Name`; any other referenced schema is inlined. Only keywords
 * that shape types survive.
 */
export function bundleForTypes(set, { names, autoName = noAutoName }) {
  const nameAt = new Map(names);
  const locationOf = new Map([...nameAt].map(([location, name]) => [name, location]));
  const definitions = {};
  const inlining = [];

  const lookup = (location) => {
    const { file, pointer } = splitLocation(location);
    const document = set.get(file);
    if (document === undefined) throw new Error(`codegen: ${location} refers to a file that is not in the set`);
    return resolvePointer(document, pointer, location);
  };

  const nameFor = (location) => {
    if (nameAt.has(location)) return nameAt.get(location);
    const name = autoName(location, lookup(location));
    if (name === undefined) return undefined;
    if (locationOf.has(name) && locationOf.get(name) !== location) {
      throw new Error(`codegen: ${location} and ${locationOf.get(name)} would both be named ${name}`);
    }
    nameAt.set(location, name);
    locationOf.set(name, location);
    return name;
  };

  const declare = (location) => {
    const name = nameFor(location);
    if (!(name in definitions)) {
      definitions[name] = {};
      definitions[name] = expand(location, true);
    }
    return { $ref: `#/definitions/${name}` };
  };

  const expand = (location, asDefinition) => {
    const { file, pointer } = splitLocation(location);
    return mapSchema(
      lookup(location),
      {
        enter(node, at) {
          const here = `${file}#${at.pointer}`;
          if (!(asDefinition && at.pointer === pointer) && nameAt.has(here)) return declare(here);
          if (typeof node.$ref !== 'string') return undefined;
          const target = refLocation(node.$ref, file);
          if (nameFor(target) !== undefined) return declare(target);
          if (inlining.includes(target)) throw new Error(`codegen: ${target} is recursive; give it a name`);
          inlining.push(target);
          const inlined = expand(target, false);
          inlining.pop();
          return inlined;
        },
        leave: (node) => keepTypeKeywords(node),
      },
      pointer,
    );
  };

  for (const [location] of names) declare(location);
  return { definitions };
}

/**
 * @param {string} _location
 * @param {unknown} _schema
 * @returns {string | undefined}
 */
function noAutoName(_location, _schema) {
  return undefined;
}

/** Upper-cases the first letter: "blockIODevice" → "BlockIODevice". */
export function typeName(key) {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
