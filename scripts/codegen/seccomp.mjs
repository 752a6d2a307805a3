// src/spec/seccomp-default.ts: Docker's default seccomp profile as a typed
// constant. The profile is a template (rules carry includes/excludes on
// capabilities, architectures and kernel version) that the runtime module
// resolves into an OCI `linux.seccomp` object; the types here describe the
// template and reuse the OCI runtime-spec enumerations for actions,
// architectures and argument operators.
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = 'seccomp/docker-default.json';

// The fields the types below describe. Anything else in a newer profile
// fails generation instead of being silently dropped. `comment` is prose and
// is left out on purpose.
const PROFILE_FIELDS = ['defaultAction', 'defaultErrnoRet', 'archMap', 'syscalls'];
const RULE_FIELDS = ['names', 'action', 'errnoRet', 'args', 'includes', 'excludes', 'comment'];
const CONDITION_FIELDS = ['caps', 'arches', 'minKernel'];
const ARCH_FIELDS = ['architecture', 'subArchitectures'];
const ARG_FIELDS = ['index', 'value', 'valueTwo', 'op'];

const TYPES = `import type { LinuxSeccompAction, LinuxSeccompArch, LinuxSeccompOperators } from './oci-runtime.js';

/** Capabilities, architectures and minimum kernel a rule is conditional on (resolved by the runtime module). */
export interface SeccompCondition {
  readonly caps?: readonly string[];
  /** Docker's architecture names (amd64, arm64, x32, s390x, …), not SCMP_ARCH_* values. */
  readonly arches?: readonly string[];
  readonly minKernel?: string;
}

export interface SeccompTemplateArg {
  readonly index: number;
  readonly value: number;
  readonly valueTwo?: number;
  readonly op: LinuxSeccompOperators;
}

export interface SeccompTemplateRule {
  readonly names: readonly string[];
  readonly action: LinuxSeccompAction;
  readonly errnoRet?: number;
  readonly args?: readonly SeccompTemplateArg[];
  readonly includes?: SeccompCondition;
  readonly excludes?: SeccompCondition;
}

export interface SeccompArchMapEntry {
  readonly architecture: LinuxSeccompArch;
  readonly subArchitectures: readonly LinuxSeccompArch[] | null;
}

export interface SeccompProfileTemplate {
  readonly defaultAction: LinuxSeccompAction;
  readonly defaultErrnoRet?: number;
  readonly archMap: readonly SeccompArchMapEntry[];
  readonly syscalls: readonly SeccompTemplateRule[];
}
`;

function checkFields(value, allowed, where) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new Error(`codegen: ${SOURCE} ${where} has field "${key}" the generator does not know`);
  }
}

function withoutEmpty(object) {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, value]) => !(typeof value === 'object' && value !== null && Object.keys(value).length === 0),
    ),
  );
}

function templateOf(profile) {
  checkFields(profile, PROFILE_FIELDS, 'profile');
  for (const entry of profile.archMap) checkFields(entry, ARCH_FIELDS, 'archMap entry');
  const syscalls = profile.syscalls.map((rule, i) => {
    checkFields(rule, RULE_FIELDS, `syscalls[${i}]`);
    for (const arg of rule.args ?? []) checkFields(arg, ARG_FIELDS, `syscalls[${i}].args`);
    for (const side of ['includes', 'excludes'])
      checkFields(rule[side] ?? {}, CONDITION_FIELDS, `syscalls[${i}].${side}`);
    const { comment: _prose, ...rest } = rule;
    return withoutEmpty(rest);
  });
  return { ...profile, syscalls };
}

export function generateSeccompDefault({ specRoot, describe, header }) {
  const profile = JSON.parse(fs.readFileSync(path.join(specRoot, SOURCE), 'utf8'));
  const value = JSON.stringify(templateOf(profile), null, 2);
  const constant = `/** Docker's default profile, before resolving it for a container. */\nexport const dockerDefaultSeccompProfile: SeccompProfileTemplate = ${value};\n`;
  return [{ file: 'seccomp-default.ts', text: `${header(SOURCE, describe(SOURCE))}\n${TYPES}\n${constant}` }];
}
