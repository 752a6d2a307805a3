// TypeScript declarations from a `{ definitions }` bundle, via
// json-schema-to-typescript.
import { compile } from 'json-schema-to-typescript';

const ROOT_NAME = 'CodegenBundleRoot';

const OPTIONS = {
  bannerComment: '',
  format: false,
  // The specs leave objects open (no additionalProperties: false) so that
  // peers can add fields; as types we describe only the fields we know.
  additionalProperties: false,
  declareExternallyReferenced: true,
  unreachableDefinitions: true,
  // minItems would otherwise turn `layers` into a tuple type.
  ignoreMinAndMaxItems: true,
  unknownAny: true,
  strictIndexSignatures: false,
};

/** Returns `export interface …` / `export type …` text for every definition. */
export async function emitTypes(bundle) {
  const root = { ...bundle, type: 'object', additionalProperties: false };
  const text = await compile(root, ROOT_NAME, OPTIONS);
  const withoutRoot = text.replace(new RegExp(`^export interface ${ROOT_NAME} \\{\\s*\\}\\n?`, 'm'), '');
  // json-schema-to-typescript annotates with its own JSDoc ("This interface
  // was referenced by…", "@minItems"); we have stripped every description, so
  // any comment left is one of those.
  const bare = withoutRoot.replace(/\/\*\*[\s\S]*?\*\/\n?/g, '');
  if (bare.includes(ROOT_NAME) || bare.includes('/*')) {
    throw new Error('codegen: unexpected json-schema-to-typescript output (root type or comment left)');
  }
  return bare;
}
