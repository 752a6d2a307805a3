import { invalidArgument } from '../kernel/index.js';
import type { OciRuntime, SeccompProfileTemplate, SeccompTemplateRule } from '../spec/index.js';
import { resolveSeccompProfile } from './seccomp.js';
import type { SeccompResolveOptions } from './seccomp.js';

/** The parts of Docker's profile format a `--security-opt seccomp=<json>` may use. */
interface ProfileDocument {
  defaultAction?: unknown;
  defaultErrnoRet?: unknown;
  architectures?: unknown;
  archMap?: unknown;
  syscalls?: unknown;
  flags?: unknown;
  listenerPath?: unknown;
}

/**
 * Resolves a profile the user sent (the docker CLI reads the file and sends
 * its JSON text). Rules may use `name` or `names`; `architectures` and
 * `archMap` are alternatives, as in Docker. The action and operator strings
 * are checked later by the runtime-spec validator, which names the bad value.
 */
export function resolveUserSeccompProfile(json: string, options: SeccompResolveOptions): OciRuntime.LinuxSeccomp {
  const doc = parseDocument(json);
  if (doc.listenerPath !== undefined) throw invalidArgument('seccomp profiles with a listenerPath are not supported');
  if (doc.architectures !== undefined && doc.archMap !== undefined) {
    throw invalidArgument("'architectures' and 'archMap' were specified in the seccomp profile, use either one");
  }
  const template: SeccompProfileTemplate = {
    defaultAction: doc.defaultAction as OciRuntime.LinuxSeccompAction,
    ...(typeof doc.defaultErrnoRet === 'number' ? { defaultErrnoRet: doc.defaultErrnoRet } : {}),
    archMap: Array.isArray(doc.archMap) ? (doc.archMap as SeccompProfileTemplate['archMap']) : [],
    syscalls: rulesOf(doc.syscalls),
  };
  const resolved = resolveSeccompProfile(template, options);
  if (Array.isArray(doc.architectures)) resolved.architectures = doc.architectures as OciRuntime.LinuxSeccompArch[];
  if (Array.isArray(doc.flags)) resolved.flags = doc.flags as OciRuntime.LinuxSeccompFlag[];
  return resolved;
}

function parseDocument(json: string): ProfileDocument {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e: unknown) {
    throw invalidArgument('decoding seccomp profile failed: invalid JSON', e);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument('decoding seccomp profile failed: not a JSON object');
  }
  const doc = value as ProfileDocument;
  if (typeof doc.defaultAction !== 'string') throw invalidArgument('seccomp profile has no defaultAction');
  return doc;
}

function rulesOf(value: unknown): SeccompTemplateRule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidArgument('seccomp profile: syscalls must be a list');
  return value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null)
      throw invalidArgument('seccomp profile: a syscall rule is not an object');
    const rule = raw as SeccompTemplateRule & { name?: unknown };
    if (typeof rule.name === 'string' && rule.name !== '') {
      if (Array.isArray(rule.names) && rule.names.length > 0) {
        throw invalidArgument("use either 'name' or 'names' in a seccomp rule, not both");
      }
      return { ...rule, names: [rule.name] };
    }
    if (!Array.isArray(rule.names)) throw invalidArgument('seccomp profile: a syscall rule has no names');
    return rule;
  });
}
