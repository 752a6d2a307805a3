/**
 * The reference grammar Docker uses (github.com/distribution/reference):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path
 *   domain     := host [":" port]         host: DNS-like name, IPv4, or [IPv6]
 *   path       := component ("/" component)*
 *   component  := [a-z0-9]+ (separator [a-z0-9]+)*    separator: . _ __ or dashes
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex{32,}
 *
 * Built from named pieces so each rule reads like the grammar above.
 */

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|-+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const path = `${pathComponent}(?:/${pathComponent})*`;

// Domain components may be uppercase: only the path must be lowercase.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[[a-fA-F0-9:]+\\]';
const domain = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;

const tag = '[\\w][\\w.-]{0,127}';
const algorithmComponent = '[A-Za-z][A-Za-z0-9]*';
const digest = `${algorithmComponent}(?:[-_+.]${algorithmComponent})*:[0-9a-fA-F]{32,}`;

/** Groups: 1 name, 2 tag, 3 digest. */
export const REFERENCE_RE = new RegExp(`^((?:${domain}/)?${path})(?::(${tag}))?(?:@(${digest}))?$`);

/** Groups: 1 domain (may be absent), 2 path. */
export const NAME_RE = new RegExp(`^(?:(${domain})/)?(${path})$`);

export const TAG_RE = new RegExp(`^${tag}$`);

/** A full image ID: the hex of a sha256 with no algorithm prefix. */
export const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

/** Repository paths longer than this are refused (distribution's RepositoryNameTotalLengthMax). */
export const PATH_MAX_LENGTH = 255;
