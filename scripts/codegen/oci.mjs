// src/spec/oci-image.ts and src/spec/oci-runtime.ts (types and type-guard
// validators) with their raw Ajv validators beside them.
import path from 'node:path';
import { emitTypes } from './emit-types.mjs';
import { emitValidators } from './emit-validators.mjs';
import { bundleForTypes, readSchemaSet, schemasForValidation, typeName } from './schema-set.mjs';

// Names for the schemas (and inline sub-schemas) that get their own type.
// Where the spec's Go package has a name for the structure we use it; a
// location missing from the schemas fails generation, so spec updates that
// move things are noticed.
const IMAGE_TYPES = [
  ['content-descriptor.json#', 'Descriptor'],
  ['image-manifest-schema.json#', 'ImageManifest'],
  ['image-index-schema.json#', 'ImageIndex'],
  // The schema's own id for this one is ".../manifestDescriptor".
  ['image-index-schema.json#/properties/manifests/items', 'ManifestDescriptor'],
  ['image-index-schema.json#/properties/manifests/items/properties/platform', 'Platform'],
  ['config-schema.json#', 'ImageConfig'],
  // The "config" member of an image config: the execution parameters.
  ['config-schema.json#/properties/config', 'ExecutionConfig'],
  ['config-schema.json#/properties/rootfs', 'RootFS'],
  ['config-schema.json#/properties/history/items', 'History'],
  ['image-layout-schema.json#', 'ImageLayout'],
];

const IMAGE_VALIDATORS = [
  { type: 'ImageManifest', schema: 'image-manifest-schema.json', guard: 'validateImageManifest' },
  { type: 'ImageIndex', schema: 'image-index-schema.json', guard: 'validateImageIndex' },
  { type: 'ImageConfig', schema: 'config-schema.json', guard: 'validateImageConfig' },
  { type: 'Descriptor', schema: 'content-descriptor.json', guard: 'validateDescriptor' },
  { type: 'ImageLayout', schema: 'image-layout-schema.json', guard: 'validateImageLayout' },
];

const PROCESS = 'config-schema.json#/properties/process';
const LINUX = 'config-linux.json#/linux';
const RESOURCES = `${LINUX}/properties/resources`;

const RUNTIME_TYPES = [
  ['config-schema.json#', 'Spec'],
  ['config-schema.json#/properties/hooks', 'Hooks'],
  ['config-schema.json#/properties/root', 'Root'],
  [PROCESS, 'Process'],
  [`${PROCESS}/properties/consoleSize`, 'Box'],
  [`${PROCESS}/properties/user`, 'User'],
  [`${PROCESS}/properties/capabilities`, 'LinuxCapabilities'],
  [`${PROCESS}/properties/ioPriority`, 'LinuxIOPriority'],
  [`${PROCESS}/properties/scheduler`, 'Scheduler'],
  [`${PROCESS}/properties/rlimits/items`, 'POSIXRlimit'],
  [`${PROCESS}/properties/execCPUAffinity`, 'CPUAffinity'],
  [LINUX, 'Linux'],
  [RESOURCES, 'LinuxResources'],
  [`${RESOURCES}/properties/pids`, 'LinuxPids'],
  [`${RESOURCES}/properties/blockIO`, 'LinuxBlockIO'],
  [`${RESOURCES}/properties/cpu`, 'LinuxCPU'],
  [`${RESOURCES}/properties/hugepageLimits/items`, 'LinuxHugepageLimit'],
  [`${RESOURCES}/properties/memory`, 'LinuxMemory'],
  [`${RESOURCES}/properties/network`, 'LinuxNetwork'],
  [`${LINUX}/properties/seccomp`, 'LinuxSeccomp'],
  [`${LINUX}/properties/intelRdt`, 'LinuxIntelRdt'],
  [`${LINUX}/properties/memoryPolicy`, 'LinuxMemoryPolicy'],
  ['config-solaris.json#/solaris', 'Solaris'],
  ['config-windows.json#/windows', 'Windows'],
  ['config-vm.json#/vm', 'VM'],
  ['config-zos.json#/zos', 'ZOS'],
  ['config-freebsd.json#/freebsd', 'FreeBSD'],
  ['state-schema.json#', 'State'],
  ['features-schema.json#', 'Features'],
  ['features-linux.json#/linux', 'LinuxFeatures'],
];

const RUNTIME_VALIDATORS = [
  { type: 'Spec', schema: 'config-schema.json', guard: 'validateRuntimeSpec' },
  { type: 'State', schema: 'state-schema.json', guard: 'validateRuntimeState' },
  { type: 'Features', schema: 'features-schema.json', guard: 'validateRuntimeFeatures' },
];

// Definitions in the per-platform defs files share names (three `Device`s),
// so each file's are prefixed the way the Go package does it.
const DEFINITION_PREFIX = {
  'defs.json': '',
  'defs-linux.json': 'Linux',
  'defs-windows.json': 'Windows',
  'defs-freebsd.json': 'FreeBSD',
  'defs-vm.json': 'VM',
  'defs-zos.json': 'ZOS',
};

/** Structures and enumerations in a defs file get a name; scalar aliases are inlined. */
function runtimeDefinitionName(location, schema) {
  const [, file = '', key = ''] = /^([\w-]+\.json)#\/definitions\/([^/]+)$/.exec(location) ?? [];
  if (!(file in DEFINITION_PREFIX)) return undefined;
  if (!(schema.properties || schema.enum || schema.allOf)) return undefined;
  return DEFINITION_PREFIX[file] + typeName(key);
}

export async function generateOciImage({ specRoot, describe, header }) {
  return generateOci({
    dir: path.join(specRoot, 'image-spec'),
    header: header('image-spec/*.json', describe('image-spec/')),
    module: 'oci-image',
    types: IMAGE_TYPES,
    validators: IMAGE_VALIDATORS,
  });
}

export async function generateOciRuntime({ specRoot, describe, header }) {
  return generateOci({
    dir: path.join(specRoot, 'runtime-spec'),
    header: header('runtime-spec/*.json', describe('runtime-spec/')),
    module: 'oci-runtime',
    types: RUNTIME_TYPES,
    validators: RUNTIME_VALIDATORS,
    autoName: runtimeDefinitionName,
  });
}

/**
 * @param {{ dir: string, header: string, module: string, types: string[][],
 *   validators: typeof IMAGE_VALIDATORS, autoName?: (location: string, schema: any) => string | undefined }} options
 */
async function generateOci({ dir, header, module, types, validators, autoName }) {
  const set = readSchemaSet(dir);
  const typeText = await emitTypes(bundleForTypes(set, { names: types, autoName }));
  const rawExports = Object.fromEntries(validators.map((v) => [rawName(v), v.schema]));
  const rawText = emitValidators(schemasForValidation(set), rawExports);
  const guards = validators.map((v) => guardFunctions(v, dir)).join('\n');
  const imports = [
    "import { describeSchemaErrors } from './schema-error.js';",
    `import * as raw from './${module}-validators.generated.js';`,
  ].join('\n');
  return [
    { file: `${module}.ts`, text: `${header}\n${imports}\n\n${typeText}\n${guards}` },
    { file: `${module}-validators.generated.ts`, text: `${header}\n${rawText}` },
  ];
}

/** validateImageManifest → imageManifest (the raw Ajv function's export name). */
function rawName({ guard }) {
  const bare = guard.replace(/^validate/, '');
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

function guardFunctions(validator, dir) {
  const raw = `raw.${rawName(validator)}`;
  const source = `${path.basename(dir)}/${validator.schema}`;
  return `
/** True when \`value\` satisfies ${source}. */
export function ${validator.guard}(value: unknown): value is ${validator.type} {
  return ${raw}(value);
}

/** Null when \`value\` satisfies ${source}, else a one-line reason. */
export function ${rawName(validator)}Error(value: unknown): string | null {
  return ${raw}(value) ? null : describeSchemaErrors(${raw}.errors);
}
`;
}
