/**
 * reference — parses and normalises image references `[domain[:port]/]path[:tag][@digest]`
 * exactly as Docker does (distribution/reference: grammar, docker.io and
 * `library/` defaults, error wording), and formats them in full or familiar
 * form. Pure string logic: it must not look anything up or touch the network.
 */
export type { Reference } from './reference.js';
export { parseReference, parseRepositoryName, withTag, withDefaultTag } from './reference.js';
export { fullName, familiarName, referenceString, familiarString } from './format.js';
export { isIdPrefix, parseImageId } from './image-id.js';
