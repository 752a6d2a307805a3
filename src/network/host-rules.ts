import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BerthError, withHostLock } from '../kernel/index.js';

const run = promisify(execFile);

/** What the rules of one bridge network depend on. */
export interface RuledNetwork {
  id: string;
  spec: { bridge?: string; subnet?: string; internal: boolean };
}

type Rule = { table: 'filter' | 'nat'; chain: string; args: string[] };

/** Marks every rule berth adds, so they can be told from dockerd's and the plugins'. */
function tag(n: RuledNetwork): string[] {
  return ['-m', 'comment', '--comment', `berth network ${n.id.slice(0, 12)}`];
}

/**
 * Docker's isolation between bridge networks, in chains of berth's own that
 * every berth network on the host shares: traffic leaving one berth bridge
 * for another interface goes to stage 2 (`STAGE_1`), which drops it if that
 * interface is another berth bridge (`STAGE_2`). FORWARD jumps to stage 1
 * before any of berth's accept rules.
 */
const STAGE_1 = 'BERTH-ISOLATION-STAGE-1';
const STAGE_2 = 'BERTH-ISOLATION-STAGE-2';
const JUMP_LOCK = 'isolation-jump';

/**
 * The host rules of one bridge network, installed once per network rather
 * than per container: forwarding from its bridge and replies to it accepted
 * ahead of whatever FORWARD policy the host has (dockerd sets DROP), and
 * masquerade of its subnet when it leaves the host; isolated from the other
 * berth networks. An internal network only forwards within its bridge, is
 * not masqueraded, and nothing enters or leaves it through the host.
 */
function networkRules(n: RuledNetwork): Rule[] {
  const br = n.spec.bridge ?? '';
  if (n.spec.internal) {
    return [
      { table: 'filter', chain: 'FORWARD', args: ['-i', br, '-o', br, ...tag(n), '-j', 'ACCEPT'] },
      { table: 'filter', chain: STAGE_1, args: ['-i', br, '!', '-o', br, ...tag(n), '-j', 'DROP'] },
      { table: 'filter', chain: STAGE_1, args: ['!', '-i', br, '-o', br, ...tag(n), '-j', 'DROP'] },
    ];
  }
  return [
    { table: 'filter', chain: STAGE_1, args: ['-i', br, '!', '-o', br, ...tag(n), '-j', STAGE_2] },
    { table: 'filter', chain: STAGE_2, args: ['-o', br, ...tag(n), '-j', 'DROP'] },
    { table: 'filter', chain: 'FORWARD', args: ['-i', br, ...tag(n), '-j', 'ACCEPT'] },
    {
      table: 'filter',
      chain: 'FORWARD',
      args: ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag(n), '-j', 'ACCEPT'],
    },
    {
      table: 'nat',
      chain: 'POSTROUTING',
      args: ['-s', n.spec.subnet ?? '', '!', '-o', br, ...tag(n), '-j', 'MASQUERADE'],
    },
  ];
}

async function iptables(args: string[]): Promise<boolean> {
  try {
    await run('iptables', ['-w', ...args]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds the network's rules that are missing (`-C` first): its FORWARD rules
 * at the top, then the jump to the isolation chains above them.
 */
export async function ensureNetworkRules(n: RuledNetwork): Promise<void> {
  const failed = () => new BerthError('internal', `iptables: cannot add the rules of network ${n.id.slice(0, 12)}`);
  // Made once per host; -N fails when the chain exists, which is fine.
  for (const chain of [STAGE_1, STAGE_2]) await iptables(['-N', chain]);
  for (const r of networkRules(n)) {
    if (await iptables(['-t', r.table, '-C', r.chain, ...r.args])) continue;
    const where = r.chain === 'FORWARD' ? ['-I', r.chain, '1'] : ['-A', r.chain];
    if (!(await iptables(['-t', r.table, ...where, ...r.args]))) throw failed();
  }
  // Moved back to the top; under a host lock, so two daemons starting at once leave one jump.
  await withHostLock(JUMP_LOCK, async () => {
    while (await iptables(['-D', 'FORWARD', '-j', STAGE_1]));
    if (!(await iptables(['-I', 'FORWARD', '1', '-j', STAGE_1]))) throw failed();
  });
}

/** Deletes the network's rules, every copy of each. */
export async function removeNetworkRules(n: RuledNetwork): Promise<void> {
  for (const r of networkRules(n)) {
    for (let i = 0; i < 8 && (await iptables(['-t', r.table, '-D', r.chain, ...r.args])); i++);
  }
}

/** iptables-save's arguments of one rule line: words, with double-quoted ones unquoted. */
function ruleWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/**
 * Deletes berth's rules that name a bridge `stale` says is a leftover:
 * after a crash or a killed test daemon, nothing else would remove them.
 */
export async function removeStaleRules(stale: (bridge: string) => Promise<boolean>): Promise<number> {
  const saved = await run('iptables-save').catch(() => ({ stdout: '' }));
  let table = 'filter';
  let removed = 0;
  for (const line of saved.stdout.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    if (!line.startsWith('-A ') || !line.includes('berth network')) continue;
    const words = ruleWords(line);
    const at = words.findIndex((w) => w === '-i' || w === '-o');
    const bridge = at >= 0 ? words[at + 1] : undefined;
    if (bridge === undefined || !(await stale(bridge))) continue;
    if (await iptables(['-t', table, '-D', ...words.slice(1)])) removed++;
  }
  return removed;
}
