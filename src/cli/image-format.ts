/**
 * Rows for `images` and `history`, field for field what docker's image and
 * history formatter contexts offer, so `--format` templates written for
 * docker work unchanged.
 */
import { isTableFormat, TABLE_FORMAT } from './format.js';
import { familiarName, parseReference, truncateID, ellipsis } from './names.js';
import { FormatContext } from './template.js';
import { createdSince, goTimeString, humanSize, humanSizeWithPrecision, rfc3339 } from './units.js';
import type { Api } from '../spec/index.js';

export const IMAGE_HEADERS: Record<string, string> = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  SharedSize: 'SHARED SIZE',
  VirtualSize: 'SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

const IMAGE_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const IMAGE_TABLE_DIGESTS = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const QUIET_FORMAT = '{{.ID}}';

/** The format `images` uses for the given flags (docker's NewImageFormat). */
export function imageFormat(format: string, options: { quiet: boolean; digests: boolean }): string {
  if (format === '' || format === TABLE_FORMAT) {
    if (options.quiet) return QUIET_FORMAT;
    return options.digests ? IMAGE_TABLE_DIGESTS : IMAGE_TABLE;
  }
  if (isTableFormat(format) && options.digests && !format.includes('{{.Digest}}')) return format + '\t{{.Digest}}';
  return format;
}

export interface ImageRowOptions {
  trunc: boolean;
  /** `--digests`: also one row per digest of digest-only repositories. */
  digests: boolean;
  /** One row per tag and digest: `--digests`, or the format uses `{{.Digest}}`. */
  needDigest?: boolean;
  now?: Date;
}

/** Untagged images: no names at all, or the `<none>` placeholders old daemons send. */
export function isDanglingImage(img: Api.ImageSummary): boolean {
  const tags = img.RepoTags ?? [];
  const digests = img.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

export function imageRow(
  img: Api.ImageSummary,
  repo: string,
  tag: string,
  digest: string,
  o: ImageRowOptions,
): FormatContext {
  const shared = img.SharedSize ?? -1;
  const containers = img.Containers ?? -1;
  return new FormatContext(
    {
      ID: o.trunc ? truncateID(img.Id) : img.Id,
      Repository: repo,
      Tag: tag,
      Digest: digest,
      CreatedSince: createdSince(img.Created, o.now),
      CreatedAt: goTimeString(img.Created),
      Size: humanSizeWithPrecision(img.Size, 3),
      Containers: containers === -1 ? 'N/A' : String(containers),
      SharedSize: shared === -1 ? 'N/A' : humanSize(shared),
      UniqueSize: shared === -1 || img.Size === -1 ? 'N/A' : humanSize(img.Size - shared),
      // Gone from the API since 1.44, still offered by docker 28's formatter (as Size).
      VirtualSize: humanSize(img.Size),
    },
    'imageContext',
  );
}

/** One row per repository:tag (times each digest with `digests`), then digest-only repositories. */
export function imageRows(images: readonly Api.ImageSummary[], o: ImageRowOptions): FormatContext[] {
  return images.flatMap((img) => {
    if (isDanglingImage(img)) return [imageRow(img, '<none>', '<none>', '<none>', o)];
    const tags = new Map<string, string[]>();
    const digests = new Map<string, string[]>();
    for (const ref of img.RepoTags ?? []) {
      const p = parseReference(ref);
      if (p?.tag !== undefined) push(tags, familiarName(p.name), p.tag);
    }
    for (const ref of img.RepoDigests ?? []) {
      const p = parseReference(ref);
      if (p?.digest !== undefined) push(digests, familiarName(p.name), p.digest);
    }
    const rows: FormatContext[] = [];
    for (const [repo, repoTags] of tags) {
      const repoDigests = (o.needDigest ?? o.digests) ? (digests.get(repo) ?? []) : [];
      digests.delete(repo);
      for (const tag of repoTags) {
        if (repoDigests.length === 0) rows.push(imageRow(img, repo, tag, '<none>', o));
        for (const d of repoDigests) rows.push(imageRow(img, repo, tag, d, o));
      }
    }
    for (const [repo, repoDigests] of digests) {
      if (!o.digests) rows.push(imageRow(img, repo, '<none>', '', o));
      else for (const d of repoDigests) rows.push(imageRow(img, repo, '<none>', d, o));
    }
    return rows;
  });
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export const HISTORY_HEADERS: Record<string, string> = {
  ID: 'IMAGE',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  CreatedBy: 'CREATED BY',
  Size: 'SIZE',
  Comment: 'COMMENT',
};

/** The format `history` uses for the given flags. */
export function historyFormat(format: string, options: { quiet: boolean; human: boolean }): string {
  if (format !== '' && format !== TABLE_FORMAT) return format;
  if (options.quiet) return QUIET_FORMAT;
  const created = options.human ? '{{.CreatedSince}}' : '{{.CreatedAt}}';
  return `table {{.ID}}\t${created}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}`;
}

/** Layers created before 2000 carry a placeholder date; docker shows N/A for them. */
const EPOCH_2000 = Date.UTC(2000, 0, 1) / 1000;

export function historyRow(
  h: Api.HistoryResponseItem,
  o: { trunc: boolean; human: boolean; now?: Date },
): FormatContext {
  const createdBy = h.CreatedBy.replaceAll('\t', ' ');
  const createdAt = rfc3339(h.Created);
  let since = createdAt;
  if (o.human) since = h.Created <= EPOCH_2000 ? 'N/A' : createdSince(h.Created, o.now);
  return new FormatContext(
    {
      ID: o.trunc ? truncateID(h.Id) : h.Id,
      CreatedSince: since,
      CreatedAt: createdAt,
      CreatedBy: o.trunc ? ellipsis(createdBy, 45) : createdBy,
      Size: o.human ? humanSizeWithPrecision(h.Size, 3) : String(h.Size),
      Comment: h.Comment,
    },
    'historyContext',
  );
}
