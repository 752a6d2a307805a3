// src/spec/engine-api.ts: one type per definition of the Engine API swagger,
// named as there, plus request/response/query types for operations whose
// schemas are written inline in `paths`.
import fs from 'node:fs';
import path from 'node:path';
// js-yaml 5 rejects moby's swagger (flow mappings in `example:` blocks close
// at the key's own indentation); `yaml` reads it as Docker's Go tooling does.
import { parse } from 'yaml';
import { emitTypes } from './emit-types.mjs';
import { isObject, keepTypeKeywords, mapSchema } from './json-schema.mjs';

const SOURCE = 'docker-engine-api.yaml';
const DEFINITION_REF = '#/definitions/';

export async function generateEngineApi({ specRoot, describe, header }) {
  const swagger = parse(fs.readFileSync(path.join(specRoot, SOURCE), 'utf8'));
  if (swagger.swagger !== '2.0') throw new Error(`codegen: ${SOURCE} is not Swagger 2.0`);
  const nullable = new Set(Object.keys(swagger.definitions).filter((name) => swagger.definitions[name]['x-nullable']));
  const toType = (schema) => typeSchema(schema, nullable);

  const definitions = {};
  for (const [name, schema] of Object.entries(swagger.definitions)) definitions[name] = toType(schema);
  for (const [name, schema] of operationSchemas(swagger)) {
    if (name in definitions) throw new Error(`codegen: operation type ${name} clashes with a definition`);
    definitions[name] = toType(schema);
  }

  const types = await emitTypes({ definitions });
  const version = `export const engineApiVersion = '${swagger.info.version}';\n`;
  return [
    {
      file: 'engine-api.ts',
      text: `${header(SOURCE, describe(SOURCE))}\n${version}\n${types}\n${titleAliases(swagger)}`,
    },
  ];
}

/**
 * Swagger schema → schema that json-schema-to-typescript understands.
 * `x-nullable: true` on a property (or on the definition a property refers
 * to: go-swagger makes those pointers) adds `| null`; on a definition itself
 * it is left to the referring properties, so the definition stays an
 * interface.
 */
function typeSchema(schema, nullableDefinitions) {
  return mapSchema(schema, {
    leave(node, at) {
      const typed = keepTypeKeywords(node);
      const refersToNullable =
        at.keyword === 'properties' &&
        typeof node.$ref === 'string' &&
        nullableDefinitions.has(node.$ref.slice(DEFINITION_REF.length));
      const nullable = (at.pointer !== '' && node['x-nullable'] === true) || refersToNullable;
      return nullable ? { anyOf: [typed, { type: 'null' }] } : typed;
    },
  });
}

/** [TypeName, schema] for inline bodies, inline 2xx responses and query parameters. */
function operationSchemas(swagger) {
  const found = [];
  for (const operations of Object.values(swagger.paths)) {
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const id = operation.operationId;
      const parameters = operation.parameters ?? [];
      const body = parameters.find((parameter) => parameter.in === 'body')?.schema;
      if (isInlineStructure(body)) found.push([`${id}Body`, body]);
      const response = successSchema(operation);
      if (isInlineStructure(response)) found.push([`${id}Response`, response]);
      const query = queryObject(parameters.filter((parameter) => parameter.in === 'query'));
      if (query) found.push([`${id}Query`, query]);
    }
  }
  return found;
}

function isInlineStructure(schema) {
  if (!isObject(schema) || schema.$ref) return false;
  return schema.type === 'object' || schema.type === 'array' || Array.isArray(schema.allOf);
}

function successSchema(operation) {
  const codes = Object.keys(operation.responses ?? {})
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  return codes.map((code) => operation.responses[code].schema).find(Boolean);
}

/** Query parameters as an object type; values are given as the spec types them, before URL encoding. */
function queryObject(parameters) {
  if (parameters.length === 0) return undefined;
  const properties = {};
  for (const parameter of parameters) {
    const { type, items, enum: values } = parameter;
    properties[parameter.name] = { type, ...(items && { items }), ...(values && { enum: values }) };
  }
  const required = parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name);
  return { type: 'object', properties, ...(required.length > 0 && { required }) };
}

/**
 * Some definitions carry a `title` that differs from their key (the name
 * Docker's Go types use, e.g. ImageHistoryResponseItem → HistoryResponseItem);
 * both names are exported.
 */
function titleAliases(swagger) {
  return Object.entries(swagger.definitions)
    .filter(
      ([name, schema]) => typeof schema.title === 'string' && /^[A-Z]\w*$/.test(schema.title) && schema.title !== name,
    )
    .filter(([, schema]) => !(schema.title in swagger.definitions))
    .map(([name, schema]) => `export type ${schema.title} = ${name};\n`)
    .join('');
}
