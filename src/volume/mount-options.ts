import { invalidArgument } from '../kernel/index.js';

/** mount(2) flags the local driver's `o=` understands (values from <sys/mount.h>). */
export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  REC: 0x4000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
} as const;

/** Option words that set (or, with `clear`, unset) flags; the rest is filesystem data. */
const FLAG_WORDS: Record<string, { flag: number; clear?: boolean }> = {
  defaults: { flag: 0 },
  ro: { flag: MS.RDONLY },
  rw: { flag: MS.RDONLY, clear: true },
  suid: { flag: MS.NOSUID, clear: true },
  nosuid: { flag: MS.NOSUID },
  dev: { flag: MS.NODEV, clear: true },
  nodev: { flag: MS.NODEV },
  exec: { flag: MS.NOEXEC, clear: true },
  noexec: { flag: MS.NOEXEC },
  sync: { flag: MS.SYNCHRONOUS },
  async: { flag: MS.SYNCHRONOUS, clear: true },
  dirsync: { flag: MS.DIRSYNC },
  remount: { flag: MS.REMOUNT },
  mand: { flag: MS.MANDLOCK },
  nomand: { flag: MS.MANDLOCK, clear: true },
  atime: { flag: MS.NOATIME, clear: true },
  noatime: { flag: MS.NOATIME },
  diratime: { flag: MS.NODIRATIME, clear: true },
  nodiratime: { flag: MS.NODIRATIME },
  bind: { flag: MS.BIND },
  rbind: { flag: MS.BIND | MS.REC },
  relatime: { flag: MS.RELATIME },
  strictatime: { flag: MS.STRICTATIME },
};

export interface ParsedMountOptions {
  flags: number;
  /** What mount(2) passes to the filesystem: `size=1m,uid=1000`. */
  data: string;
}

/** Splits `o=` (as mount(8) reads `-o`) into mount(2) flags and filesystem data. */
export function parseMountOptions(o: string): ParsedMountOptions {
  let flags = 0;
  const data: string[] = [];
  for (const word of o.split(',').filter((w) => w !== '')) {
    const known = FLAG_WORDS[word];
    if (known === undefined) data.push(word);
    else if (known.clear === true) flags &= ~known.flag;
    else flags |= known.flag;
  }
  return { flags, data: data.join(',') };
}

/** The local driver's options, as `docker volume create --opt` gives them. */
const VALID_OPTIONS = new Set(['type', 'o', 'device']);

/** Docker's checks of the local driver's options at create. */
export function validateDriverOptions(options: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(options)) {
    if (!VALID_OPTIONS.has(key)) throw invalidArgument(`invalid option: "${key}"`);
  }
  const type = options.type ?? '';
  const device = options.device ?? '';
  if (type !== '' && device === '') throw invalidArgument('missing required option: "device"');
  if (device !== '' && type === '') throw invalidArgument('missing required option: "type"');
  if (type === '' && (options.o ?? '') !== '') throw invalidArgument('missing required option: "type"');
}

/** True when the volume is a filesystem mounted at its `_data` on first use, not a plain directory. */
export function needsMount(options: Readonly<Record<string, string>>): boolean {
  return (options.type ?? '') !== '' || (options.device ?? '') !== '';
}
