import { randomBytes, randomInt } from 'node:crypto';
import { invalidArgument } from '../kernel/index.js';

/** Docker's container name rule; a leading `/` is accepted and dropped. */
const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function normaliseName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.replace(/^\//, '');
}

export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

// Docker names containers adjective_surname; these are berth's own short lists.
const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'fond',
  'gentle',
  'happy',
  'keen',
  'lucid',
  'merry',
  'nimble',
  'quiet',
  'swift',
  'tender',
  'vivid',
  'wise',
  'zesty',
];
const NOUNS = [
  'anchor',
  'beacon',
  'buoy',
  'cove',
  'dock',
  'ferry',
  'harbor',
  'jetty',
  'keel',
  'mast',
  'pier',
  'quay',
  'rudder',
  'sail',
  'tide',
  'wharf',
];

/** A random `adjective_noun` name; `taken` lets the caller avoid ones in use. */
export function generateName(taken: (name: string) => boolean): string {
  for (let i = 0; i < 8; i++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
    if (!taken(name)) return name;
  }
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}${randomInt(1000)}`;
}
