import { invalidArgument } from '../kernel/index.js';
import { readRootfsFile } from './user-files.js';

/** The identity a container's process runs as. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups: membership in the rootfs's /etc/group, then `--group-add`. */
  additionalGids: number[];
  /** From /etc/passwd; `/` when the user has no entry. */
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Docker refuses ids outside the positive int32 range. */
const maxId = 2 ** 31 - 1;

/**
 * Resolves a Docker `User` string (`""`, `name`, `uid`, `name:group`,
 * `uid:gid`, …) against the container's own /etc/passwd and /etc/group.
 * Numeric ids need no entry; names do. Without an explicit group, the user's
 * passwd group is primary and its /etc/group memberships are supplementary.
 */
export async function resolveUser(
  rootfs: string,
  user: string,
  options: { groupAdd?: readonly string[] | null } = {},
): Promise<ResolvedUser> {
  const [userPart = '', groupPart] = splitUser(user);
  const passwd = parsePasswd((await readRootfsFile(rootfs, '/etc/passwd')) ?? '');
  const groups = parseGroup((await readRootfsFile(rootfs, '/etc/group')) ?? '');
  const entry = findPasswdEntry(passwd, userPart === '' ? '0' : userPart);
  const uid = entry?.uid ?? parseId(userPart === '' ? '0' : userPart);
  let gid = entry?.gid ?? 0;
  let additionalGids: number[] = [];
  if (groupPart !== undefined) gid = findGroupId(groups, groupPart);
  else if (entry !== undefined) additionalGids = groups.filter((g) => g.members.includes(entry.name)).map((g) => g.gid);
  for (const extra of options.groupAdd ?? []) additionalGids.push(findGroupId(groups, extra));
  return { uid, gid, additionalGids: [...new Set(additionalGids)], home: entry?.home ?? '/' };
}

function splitUser(user: string): [string, string?] {
  const colon = user.indexOf(':');
  if (colon < 0) return [user];
  return [user.slice(0, colon), user.slice(colon + 1)];
}

function findPasswdEntry(passwd: PasswdEntry[], userPart: string): PasswdEntry | undefined {
  const numeric = isNumeric(userPart);
  const entry = passwd.find((p) => p.name === userPart || (numeric && p.uid === Number(userPart)));
  if (entry === undefined && !numeric) {
    throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  return entry;
}

function findGroupId(groups: GroupEntry[], groupPart: string): number {
  const numeric = isNumeric(groupPart);
  const entry = groups.find((g) => g.name === groupPart || (numeric && g.gid === Number(groupPart)));
  if (entry !== undefined) return entry.gid;
  if (!numeric) throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
  return parseId(groupPart);
}

function isNumeric(s: string): boolean {
  return /^\d+$/.test(s);
}

function parseId(s: string): number {
  const id = Number(s);
  if (!isNumeric(s) || id > maxId) throw invalidArgument(`uids and gids must be in range 0-${maxId}`);
  return id;
}

/** `name:password:uid:gid:gecos:home:shell` lines; malformed lines are skipped, as libc does. */
function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const fields of records(text)) {
    const [name = '', , uid = '', gid = '', , home = ''] = fields;
    if (name === '' || !isNumeric(uid) || !isNumeric(gid)) continue;
    entries.push({ name, uid: Number(uid), gid: Number(gid), home });
  }
  return entries;
}

/** `name:password:gid:member,member` lines. */
function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const fields of records(text)) {
    const [name = '', , gid = '', members = ''] = fields;
    if (name === '' || !isNumeric(gid)) continue;
    entries.push({ name, gid: Number(gid), members: members.split(',').filter((m) => m !== '') });
  }
  return entries;
}

function records(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}
