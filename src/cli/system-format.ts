/**
 * The `version` and `info` reports in docker's layout: `version` is aligned
 * with a tabwriter (min width 20, padding 1), `info` is "Label: value" lines
 * indented by section. Fields berthd does not report are left out rather
 * than printed empty.
 */
import { tabwrite } from './table.js';
import { bytesSize } from './units.js';
import type { Api } from '../spec/index.js';

/** The API version this client is written against (shared/spec docker-engine-api.yaml). */
const CLIENT_API_VERSION = '1.55';

export interface ClientVersion {
  Version: string;
  ApiVersion: string;
  DefaultAPIVersion: string;
  NodeVersion: string;
  Os: string;
  Arch: string;
  Context: string;
}

/** Go's GOARCH names, which docker prints and users compare against. */
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export function clientVersion(version: string, server?: Api.SystemVersion): ClientVersion {
  return {
    Version: version,
    // Requests carry no version prefix, so the daemon's current version is what is spoken.
    ApiVersion: server?.ApiVersion ?? CLIENT_API_VERSION,
    DefaultAPIVersion: CLIENT_API_VERSION,
    NodeVersion: process.version,
    Os: process.platform,
    Arch: GOARCH[process.arch] ?? process.arch,
    Context: 'default',
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** RFC 3339 build time → Go's time.ANSIC in the same offset: `Fri May 30 12:07:35 2025`. */
export function ansicDate(rfc3339: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)/.exec(rfc3339);
  if (!m) return rfc3339;
  const [, y, mo, d, time] = m as unknown as [string, string, string, string, string];
  const weekday = DAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()];
  return `${weekday} ${MONTHS[Number(mo) - 1]} ${String(Number(d)).padStart(2, ' ')} ${time} ${y}`;
}

type Component = { Name: string; Version: string; Details: Record<string, string> };

/** Details are strings in practice; anything else is shown as JSON. */
function detailText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function engineComponents(v: Api.SystemVersion): Component[] {
  const components = (v.Components ?? []).map((c) => ({
    Name: c.Name,
    Version: c.Version,
    Details: Object.fromEntries(Object.entries(c.Details ?? {}).map(([k, d]) => [k, detailText(d)])),
  }));
  if (components.some((c) => c.Name === 'Engine')) return components;
  const details: Record<string, string> = {};
  const add = (key: string, value: string | boolean | undefined): void => {
    if (value !== undefined) details[key] = String(value);
  };
  add('ApiVersion', v.ApiVersion);
  add('MinAPIVersion', v.MinAPIVersion);
  add('GoVersion', v.GoVersion);
  add('GitCommit', v.GitCommit);
  add('BuildTime', v.BuildTime);
  add('Os', v.Os);
  add('Arch', v.Arch);
  add('Experimental', v.Experimental);
  return [{ Name: 'Engine', Version: v.Version ?? '', Details: details }, ...components];
}

function engineLines(d: Record<string, string>, version: string): string[] {
  const lines = [`  Version:\t${version}`];
  if (d['ApiVersion'])
    lines.push(`  API version:\t${d['ApiVersion']} (minimum version ${d['MinAPIVersion'] ?? 'unknown'})`);
  const optional: Array<[string, string | undefined]> = [
    ['Go version', d['GoVersion']],
    ['Git commit', d['GitCommit']],
    ['Built', d['BuildTime'] && ansicDate(d['BuildTime'])],
    ['OS/Arch', d['Os'] && `${d['Os']}/${d['Arch'] ?? ''}`],
    ['Experimental', d['Experimental']],
  ];
  for (const [label, value] of optional) if (value) lines.push(`  ${label}:\t${value}`);
  return lines;
}

/** The default `version` output; `server` is absent when the daemon could not be reached. */
export function renderVersion(client: ClientVersion, server: Api.SystemVersion | undefined): string {
  const lines = [
    'Client:',
    ` Version:\t${client.Version}`,
    ` API version:\t${client.ApiVersion}`,
    ` Node version:\t${client.NodeVersion}`,
    ` OS/Arch:\t${client.Os}/${client.Arch}`,
    ` Context:\t${client.Context}`,
  ];
  if (server) {
    lines.push('', `Server:${server.Platform?.Name ? ` ${server.Platform.Name}` : ''}`);
    for (const c of engineComponents(server)) {
      lines.push(` ${c.Name}:`);
      if (c.Name === 'Engine') lines.push(...engineLines(c.Details, c.Version));
      else {
        lines.push(`  Version:\t${c.Version}`);
        for (const key of Object.keys(c.Details).sort()) lines.push(`  ${key}:\t${c.Details[key]}`);
      }
    }
  }
  return tabwrite(lines.join('\n') + '\n', { minWidth: 20, padding: 1 });
}

export function renderClientInfo(version: string): string {
  return `Client:\n Version:    ${version}\n Context:    default\n Debug Mode: false\n`;
}

/** The `Server:` body of `info` (without the heading). */
export function renderServerInfo(info: Api.SystemInfo): string {
  const out: string[] = [];
  const line = (label: string, value: unknown): void => void out.push(`${label} ${printable(value)}`);
  const nonEmpty = (label: string, value: string | undefined): void => {
    if (value) line(label, value);
  };
  line(' Containers:', info.Containers ?? 0);
  line('  Running:', info.ContainersRunning ?? 0);
  line('  Paused:', info.ContainersPaused ?? 0);
  line('  Stopped:', info.ContainersStopped ?? 0);
  line(' Images:', info.Images ?? 0);
  nonEmpty(' Server Version:', info.ServerVersion);
  nonEmpty(' Storage Driver:', info.Driver);
  for (const [k, v] of info.DriverStatus ?? []) out.push(`  ${k}: ${v}`);
  nonEmpty(' Logging Driver:', info.LoggingDriver);
  nonEmpty(' Cgroup Driver:', info.CgroupDriver);
  nonEmpty(' Cgroup Version:', info.CgroupVersion);
  if (info.Plugins) {
    out.push(' Plugins:');
    line('  Volume:', (info.Plugins.Volume ?? []).join(' '));
    line('  Network:', (info.Plugins.Network ?? []).join(' '));
    line('  Log:', (info.Plugins.Log ?? []).join(' '));
  }
  if (info.Swarm?.LocalNodeState) line(' Swarm:', info.Swarm.LocalNodeState);
  const runtimes = Object.keys(info.Runtimes ?? {});
  if (runtimes.length > 0) {
    line(' Runtimes:', runtimes.join(' '));
    line(' Default Runtime:', info.DefaultRuntime ?? '');
  }
  if (info.InitBinary !== undefined) line(' Init Binary:', info.InitBinary);
  if (info.ContainerdCommit?.ID !== undefined) line(' containerd version:', info.ContainerdCommit.ID);
  if (info.RuncCommit?.ID !== undefined) line(' runc version:', info.RuncCommit.ID);
  if (info.InitCommit?.ID !== undefined) line(' init version:', info.InitCommit.ID);
  out.push(...securityOptions(info.SecurityOptions ?? []));
  nonEmpty(' Kernel Version:', info.KernelVersion);
  nonEmpty(' Operating System:', info.OperatingSystem);
  nonEmpty(' OSType:', info.OSType);
  nonEmpty(' Architecture:', info.Architecture);
  line(' CPUs:', info.NCPU ?? 0);
  line(' Total Memory:', bytesSize(info.MemTotal ?? 0));
  nonEmpty(' Name:', info.Name);
  nonEmpty(' ID:', info.ID);
  line(' Docker Root Dir:', info.DockerRootDir ?? '');
  line(' Debug Mode:', info.Debug ?? false);
  nonEmpty(' HTTP Proxy:', info.HttpProxy);
  nonEmpty(' HTTPS Proxy:', info.HttpsProxy);
  nonEmpty(' No Proxy:', info.NoProxy);
  if ((info.Labels ?? []).length > 0) out.push(' Labels:', ...(info.Labels ?? []).map((l) => `  ${l}`));
  line(' Experimental:', info.ExperimentalBuild ?? false);
  out.push(...registryLines(info.RegistryConfig));
  line(' Live Restore Enabled:', info.LiveRestoreEnabled ?? false);
  return out.join('\n') + '\n\n';
}

function printable(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** "name=seccomp,profile=builtin" → "  seccomp" / "   Profile: builtin". */
function securityOptions(options: readonly string[]): string[] {
  if (options.length === 0) return [];
  const out = [' Security Options:'];
  for (const option of options) {
    const fields = new Map(option.split(',').map((kv) => kv.split('=', 2) as [string, string]));
    out.push(`  ${fields.get('name') ?? option}`);
    if (fields.has('profile')) out.push(`   Profile: ${fields.get('profile')}`);
  }
  return out;
}

function registryLines(config: Api.SystemInfo['RegistryConfig']): string[] {
  if (!config) return [];
  const out: string[] = [];
  const insecure = Object.values(config.IndexConfigs ?? {}).filter((c) => !c.Secure);
  const cidrs = config.InsecureRegistryCIDRs ?? [];
  if (cidrs.length > 0 || Object.keys(config.IndexConfigs ?? {}).length > 0) {
    out.push(' Insecure Registries:', ...insecure.map((c) => `  ${c.Name}`), ...cidrs.map((c) => `  ${c}`));
  }
  const mirrors = config.Mirrors ?? [];
  if (mirrors.length > 0) out.push(' Registry Mirrors:', ...mirrors.map((m) => `  ${m}`));
  return out;
}
