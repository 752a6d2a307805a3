import os from 'node:os';
import type { OciRuntime, SeccompCondition, SeccompProfileTemplate, SeccompTemplateRule } from '../spec/index.js';

export interface SeccompResolveOptions {
  /** The container's bounding capability set (`CAP_…` names). */
  capabilities: readonly string[];
  /** Docker's architecture name (`amd64`, `arm64`, `s390x`, …), as in the template's `arches`. */
  arch: string;
  /** Kernel release to test `minKernel` against; the running kernel's by default. */
  kernelRelease?: string;
}

/** Docker's architecture names mapped to the libseccomp architecture the archMap is keyed by. */
const seccompArchByDockerArch: Readonly<Record<string, OciRuntime.LinuxSeccompArch>> = {
  amd64: 'SCMP_ARCH_X86_64',
  x86: 'SCMP_ARCH_X86',
  x32: 'SCMP_ARCH_X32',
  arm64: 'SCMP_ARCH_AARCH64',
  arm: 'SCMP_ARCH_ARM',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mipsel64n32: 'SCMP_ARCH_MIPSEL64N32',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390x: 'SCMP_ARCH_S390X',
  riscv64: 'SCMP_ARCH_RISCV64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
};

/** Node's `process.arch` in Docker's words (the names seccomp templates use). */
export function dockerArch(nodeArch: string = process.arch): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: 'x86', ppc64: 'ppc64le' };
  return names[nodeArch] ?? nodeArch;
}

/**
 * Turns a seccomp profile template (Docker's format, with per-rule
 * `includes`/`excludes` conditions and an `archMap`) into the concrete
 * `linux.seccomp` of one container: only the rules whose conditions hold for
 * its capabilities, architecture and kernel, and the architecture list for the
 * native one plus its sub-architectures.
 */
export function resolveSeccompProfile(
  template: SeccompProfileTemplate,
  options: SeccompResolveOptions,
): OciRuntime.LinuxSeccomp {
  const kernel = options.kernelRelease ?? os.release();
  const syscalls: OciRuntime.LinuxSyscall[] = template.syscalls
    .filter((rule) => ruleApplies(rule, options, kernel))
    .map(toSyscall);
  const result: OciRuntime.LinuxSeccomp = {
    defaultAction: template.defaultAction,
    architectures: architecturesFor(template, options.arch),
    syscalls,
  };
  if (template.defaultErrnoRet !== undefined) result.defaultErrnoRet = template.defaultErrnoRet;
  return result;
}

function architecturesFor(template: SeccompProfileTemplate, arch: string): OciRuntime.LinuxSeccompArch[] {
  const native = seccompArchByDockerArch[arch];
  const entry = template.archMap.find((e) => e.architecture === native);
  if (entry === undefined) return [];
  return [entry.architecture, ...(entry.subArchitectures ?? [])];
}

/** Docker's rule: every exclude condition must fail and every include condition must hold. */
function ruleApplies(rule: SeccompTemplateRule, options: SeccompResolveOptions, kernel: string): boolean {
  if (rule.excludes !== undefined && anyConditionHolds(rule.excludes, options, kernel)) return false;
  if (rule.includes !== undefined && !allConditionsHold(rule.includes, options, kernel)) return false;
  return true;
}

function anyConditionHolds(c: SeccompCondition, options: SeccompResolveOptions, kernel: string): boolean {
  if (c.arches !== undefined && c.arches.length > 0 && c.arches.includes(options.arch)) return true;
  if (c.caps !== undefined && c.caps.some((cap) => options.capabilities.includes(cap))) return true;
  return c.minKernel !== undefined && kernelAtLeast(kernel, c.minKernel);
}

function allConditionsHold(c: SeccompCondition, options: SeccompResolveOptions, kernel: string): boolean {
  if (c.arches !== undefined && c.arches.length > 0 && !c.arches.includes(options.arch)) return false;
  if (c.caps !== undefined && !c.caps.every((cap) => options.capabilities.includes(cap))) return false;
  return c.minKernel === undefined || kernelAtLeast(kernel, c.minKernel);
}

/** Compares `major.minor` of a kernel release (`6.18.44-fc`) with a minimum (`4.8`). */
export function kernelAtLeast(release: string, minimum: string): boolean {
  const [major, minor] = majorMinor(release);
  const [wantMajor, wantMinor] = majorMinor(minimum);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

function majorMinor(version: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match === null ? [0, 0] : [Number(match[1]), Number(match[2])];
}

function toSyscall(rule: SeccompTemplateRule): OciRuntime.LinuxSyscall {
  const syscall: OciRuntime.LinuxSyscall = { names: [...rule.names], action: rule.action };
  if (rule.errnoRet !== undefined) syscall.errnoRet = rule.errnoRet;
  if (rule.args !== undefined && rule.args.length > 0) syscall.args = rule.args.map((a) => ({ ...a }));
  return syscall;
}
