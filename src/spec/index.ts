/**
 * spec — the wire contracts, generated from ../shared/spec/ by
 * `node scripts/codegen.mjs` (STYLE §1.10): Docker Engine API 1.55 types
 * (swagger `definitions`, plus inline operation bodies, responses and query
 * parameters), OCI image-spec and runtime-spec types with their JSON-schema
 * validators, and Docker's default seccomp profile. Everything but this file
 * and schema-error.ts is generated; never edit it, and never add hand-written
 * wire types here. Imports nothing internal.
 *
 * The Engine API and the OCI runtime spec both have a `Mount`, a `Platform`,
 * a `Root`…, so each is a namespace (`Api.ImageSummary`,
 * `OciRuntime.Spec`). OCI image types are the shared vocabulary of the
 * image, content and registry modules and are exported by name.
 */
export type * as Api from './engine-api.js';
export { engineApiVersion } from './engine-api.js';

export type {
  Descriptor,
  ExecutionConfig,
  History,
  ImageConfig,
  ImageIndex,
  ImageLayout,
  ImageManifest,
  ManifestDescriptor,
  Platform,
  RootFS,
} from './oci-image.js';
export {
  descriptorError,
  imageConfigError,
  imageIndexError,
  imageLayoutError,
  imageManifestError,
  validateDescriptor,
  validateImageConfig,
  validateImageIndex,
  validateImageLayout,
  validateImageManifest,
} from './oci-image.js';

export type * as OciRuntime from './oci-runtime.js';
export {
  runtimeFeaturesError,
  runtimeSpecError,
  runtimeStateError,
  validateRuntimeFeatures,
  validateRuntimeSpec,
  validateRuntimeState,
} from './oci-runtime.js';

export type {
  SeccompArchMapEntry,
  SeccompCondition,
  SeccompProfileTemplate,
  SeccompTemplateArg,
  SeccompTemplateRule,
} from './seccomp-default.js';
export { dockerDefaultSeccompProfile } from './seccomp-default.js';
