import { join } from 'node:path';
import { BerthError, errorMessage, execFast, helperEnv } from '../kernel/index.js';

/** Where Debian's containernetworking-plugins puts the plugin binaries. */
const CNI_PLUGIN_DIR = '/usr/lib/cni';

/** The CNI version berth speaks; every plugin in Debian 12's package supports it. */
const CNI_VERSION = '1.0.0';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

/** One plugin's network configuration, as sent on stdin (CNI spec §"Network configuration"). */
export interface CniPluginConfig {
  type: string;
  [key: string]: unknown;
}

/** A CNI 1.0 success result (CNI spec §"Success"). */
export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { interface?: number; address: string; gateway?: string }[];
  routes?: { dst: string; gw?: string }[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** What identifies one attachment: the container, its namespace, the interface inside. */
export interface CniAttachment {
  containerId: string;
  netns: string;
  ifname: string;
}

/** A network configuration list: the chain of plugins one network runs, in ADD order. */
export interface CniConfigList {
  name: string;
  plugins: CniPluginConfig[];
}

function isResult(v: unknown): v is CniResult {
  return typeof v === 'object' && v !== null && typeof (v as { cniVersion?: unknown }).cniVersion === 'string';
}

/** The CNI error object's message (CNI spec §"Error"), or the raw output when it is not one. */
function pluginError(type: string, command: CniCommand, stdout: string, stderr: string, code: number | null) {
  let msg = stdout.trim() || stderr.trim() || `exit status ${code}`;
  try {
    const e = JSON.parse(stdout) as { msg?: string; details?: string };
    if (e.msg) msg = e.details ? `${e.msg}: ${e.details}` : e.msg;
  } catch {
    // Not JSON: keep the raw text.
  }
  return new BerthError('internal', `CNI plugin ${type} ${command} failed: ${msg}`);
}

/** Runs one plugin binary once, as the CNI spec's runtime does: environment in, config on stdin, result on stdout. */
export async function execPlugin(
  command: CniCommand,
  config: CniPluginConfig & { name: string; cniVersion: string },
  at: CniAttachment,
): Promise<CniResult | undefined> {
  const env = helperEnv({
    CNI_COMMAND: command,
    CNI_CONTAINERID: at.containerId,
    CNI_NETNS: at.netns,
    CNI_IFNAME: at.ifname,
    CNI_PATH: CNI_PLUGIN_DIR,
  });
  const result = await execFast(join(CNI_PLUGIN_DIR, config.type), [], { env, input: JSON.stringify(config) }).catch(
    (e: unknown) => {
      throw new BerthError('internal', `CNI plugin ${config.type}: ${errorMessage(e)}`, { cause: e });
    },
  );
  if (result.code !== 0) throw pluginError(config.type, command, result.stdout, result.stderr, result.code);
  if (command !== 'ADD') return undefined;
  const parsed: unknown = JSON.parse(result.stdout);
  if (!isResult(parsed)) throw new BerthError('internal', `CNI plugin ${config.type} returned no result`);
  return parsed;
}

function withHeader(list: CniConfigList, plugin: CniPluginConfig, prevResult?: CniResult) {
  return { ...plugin, name: list.name, cniVersion: CNI_VERSION, ...(prevResult ? { prevResult } : {}) };
}

/** ADD through the chain: each plugin gets the previous one's result; the last result is the attachment's. */
export async function addNetworkList(list: CniConfigList, at: CniAttachment): Promise<CniResult> {
  let result: CniResult | undefined;
  for (const plugin of list.plugins) {
    result = (await execPlugin('ADD', withHeader(list, plugin, result), at)) ?? result;
  }
  if (!result) throw new BerthError('internal', `CNI network ${list.name} has no plugins`);
  return result;
}

/**
 * DEL through the chain in reverse, every plugin even when one fails (a
 * half-made attachment must still be undone as far as possible); the first
 * failure is reported afterwards.
 */
export async function delNetworkList(list: CniConfigList, at: CniAttachment, prevResult?: CniResult): Promise<void> {
  let first: Error | undefined;
  for (const plugin of [...list.plugins].reverse()) {
    await execPlugin('DEL', withHeader(list, plugin, prevResult), at).catch(
      (e: unknown) => (first ??= e instanceof Error ? e : new Error(String(e))),
    );
  }
  if (first !== undefined) throw first;
}

/** CHECK through the chain: a plugin that finds its part missing fails. */
export async function checkNetworkList(list: CniConfigList, at: CniAttachment, prevResult: CniResult): Promise<void> {
  for (const plugin of list.plugins) await execPlugin('CHECK', withHeader(list, plugin, prevResult), at);
}
