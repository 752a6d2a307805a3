/**
 * `system df`: reads both /system/df shapes (API ≥ 1.52 sends per-type
 * totals; older daemons send the items and the client sums them, as the
 * docker client does) and renders docker's summary and verbose tables.
 */
import { formatRows, parseFormat, TABLE_FORMAT } from './format.js';
import { IMAGE_HEADERS, imageRow, isDanglingImage } from './image-format.js';
import { ellipsis, familiarName, parseReference, truncateID } from './names.js';
import { FormatContext } from './template.js';
import { createdSince, humanDuration, humanSize, humanSizeWithPrecision } from './units.js';
import type { Api } from '../spec/index.js';
import type { SystemDataUsageWire } from './wire.js';

export interface UsageSection<T> {
  activeCount: number;
  totalCount: number;
  reclaimable: number;
  totalSize: number;
  items: T[];
}

export interface DiskUsage {
  images: UsageSection<Api.ImageSummary>;
  containers: UsageSection<Api.ContainerSummary>;
  volumes: UsageSection<Api.Volume>;
  buildCache: UsageSection<Api.BuildCache>;
}

/** One section of an API 1.52+ answer; the spec leaves Items untyped, they are T's summaries. */
function section<T>(w: Api.ImagesDiskUsage | undefined): UsageSection<T> {
  return {
    activeCount: w?.ActiveCount ?? 0,
    totalCount: w?.TotalCount ?? 0,
    reclaimable: w?.Reclaimable ?? 0,
    totalSize: w?.TotalSize ?? 0,
    items: (w?.Items ?? []) as T[],
  };
}

const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

export function diskUsageFromWire(w: SystemDataUsageWire): DiskUsage {
  if ('ImageUsage' in w || 'ContainerUsage' in w || 'VolumeUsage' in w || 'BuildCacheUsage' in w) {
    return {
      images: section(w.ImageUsage),
      containers: section(w.ContainerUsage),
      volumes: section(w.VolumeUsage),
      buildCache: section(w.BuildCacheUsage),
    };
  }
  const sum = <T>(items: T[], size: (t: T) => number, active: (t: T) => boolean, countsAsUsed = active) => {
    const total = items.reduce((n, t) => n + size(t), 0);
    const used = items.reduce((n, t) => n + (countsAsUsed(t) ? size(t) : 0), 0);
    const activeCount = items.filter(active).length;
    return { activeCount, totalCount: items.length, totalSize: total, reclaimable: total - used, items };
  };
  const images = w.Images ?? [];
  // docker 28's rule: everything but the unique size of images that containers use.
  const usedByContainers = images
    .filter((i) => (i.Containers ?? 0) !== 0 && i.Size !== -1 && (i.SharedSize ?? -1) !== -1)
    .reduce((n, i) => n + i.Size - (i.SharedSize ?? 0), 0);
  return {
    images: {
      activeCount: images.filter((i) => (i.Containers ?? 0) > 0).length,
      totalCount: images.length,
      totalSize: w.LayersSize ?? 0,
      reclaimable: (w.LayersSize ?? 0) - usedByContainers,
      items: images,
    },
    containers: sum(
      w.Containers ?? [],
      (c) => c.SizeRw ?? 0,
      (c) => ACTIVE_STATES.has(c.State ?? ''),
    ),
    volumes: sum(
      w.Volumes ?? [],
      (v) => Math.max(v.UsageData?.Size ?? 0, 0),
      (v) => (v.UsageData?.RefCount ?? 0) > 0,
    ),
    buildCache: sum(
      w.BuildCache ?? [],
      (b) => (b.Shared ? 0 : (b.Size ?? 0)),
      (b) => b.InUse === true,
    ),
  };
}

const SUMMARY_TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const SUMMARY_HEADERS = {
  Type: 'TYPE',
  TotalCount: 'TOTAL',
  Active: 'ACTIVE',
  Size: 'SIZE',
  Reclaimable: 'RECLAIMABLE',
};

function summaryRow(type: string, s: UsageSection<unknown>, percent: boolean): FormatContext {
  let reclaimable = humanSize(s.reclaimable);
  if (percent && s.totalSize > 0) reclaimable += ` (${Math.trunc((s.reclaimable * 100) / s.totalSize)}%)`;
  const fields = {
    Type: type,
    TotalCount: String(s.totalCount),
    Active: String(s.activeCount),
    Size: humanSize(s.totalSize),
    Reclaimable: reclaimable,
  };
  return new FormatContext(fields, 'diskUsageContext');
}

export interface DiskUsageRenderOptions {
  format: string;
  verbose: boolean;
  now?: Date;
}

export function renderDiskUsage(du: DiskUsage, o: DiskUsageRenderOptions): string {
  const format = o.format === '' ? TABLE_FORMAT : o.format;
  if (!o.verbose) {
    const rows = [
      summaryRow('Images', du.images, true),
      summaryRow('Containers', du.containers, true),
      summaryRow('Local Volumes', du.volumes, true),
      summaryRow('Build Cache', du.buildCache, false),
    ];
    return formatRows(format === TABLE_FORMAT ? SUMMARY_TABLE : format, rows, SUMMARY_HEADERS);
  }
  const trunc = format.startsWith(TABLE_FORMAT);
  const images = du.images.items.map((img) => verboseImageRow(img, trunc, o.now));
  const containers = du.containers.items.map((c) => containerRow(c, trunc, o.now));
  const volumes = du.volumes.items.map(volumeRow);
  const cache = sortBuildCache(du.buildCache.items).map((b) => buildCacheRow(b, trunc, o.now));
  if (format !== TABLE_FORMAT) {
    return parseFormat(format).execute({ Images: images, Containers: containers, Volumes: volumes, BuildCache: cache });
  }
  return [
    'Images space usage:\n\n',
    formatRows(VERBOSE_IMAGE_TABLE, images, IMAGE_HEADERS),
    '\nContainers space usage:\n\n',
    formatRows(CONTAINER_TABLE, containers, CONTAINER_HEADERS),
    '\nLocal Volumes space usage:\n\n',
    formatRows('table {{.Name}}\t{{.Links}}\t{{.Size}}', volumes, {
      Name: 'VOLUME NAME',
      Links: 'LINKS',
      Size: 'SIZE',
    }),
    `\nBuild cache usage: ${humanSize(du.buildCache.totalSize)}\n\n`,
    formatRows(BUILD_CACHE_TABLE, cache, BUILD_CACHE_HEADERS),
  ].join('');
}

const VERBOSE_IMAGE_TABLE =
  'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';

function verboseImageRow(img: Api.ImageSummary, trunc: boolean, now?: Date): FormatContext {
  let repo = '<none>';
  let tag = '<none>';
  const first = img.RepoTags?.[0];
  const ref = first !== undefined && !isDanglingImage(img) ? parseReference(first) : undefined;
  if (ref?.tag !== undefined) {
    repo = familiarName(ref.name);
    tag = ref.tag;
  }
  return imageRow(img, repo, tag, '', { trunc, digests: false, ...(now && { now }) });
}

const CONTAINER_TABLE =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const CONTAINER_HEADERS = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  LocalVolumes: 'LOCAL VOLUMES',
  Size: 'SIZE',
  RunningFor: 'CREATED',
  Status: 'STATUS',
  Names: 'NAMES',
};

function containerImage(c: Api.ContainerSummary, trunc: boolean): string {
  const image = c.Image ?? '';
  if (image === '') return '<no image>';
  if (!trunc) return image;
  if (truncateID(c.ImageID ?? '') === truncateID(image)) return truncateID(image);
  const ref = parseReference(image);
  if (!ref) return image;
  return familiarName(ref.name) + (ref.tag !== undefined ? `:${ref.tag}` : '');
}

function containerRow(c: Api.ContainerSummary, trunc: boolean, now?: Date): FormatContext {
  const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  const shown = trunc ? (names.find((n) => !n.includes('/')) ?? names.join(',')) : names.join(',');
  const command = c.Command ?? '';
  const id = c.Id ?? '';
  return new FormatContext(
    {
      ID: trunc ? truncateID(id) : id,
      Image: containerImage(c, trunc),
      Command: JSON.stringify(trunc ? ellipsis(command, 20) : command),
      LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Driver === 'local').length),
      Size: humanSizeWithPrecision(c.SizeRw ?? 0, 3),
      RunningFor: createdSince(c.Created ?? 0, now),
      Status: c.Status ?? '',
      Names: shown,
    },
    'ContainerContext',
  );
}

function volumeRow(v: Api.Volume): FormatContext {
  const usage = v.UsageData;
  const fields = {
    Name: v.Name,
    Driver: v.Driver ?? '',
    Links: usage ? String(usage.RefCount) : 'N/A',
    Size: usage ? humanSize(usage.Size) : 'N/A',
  };
  return new FormatContext(fields, 'volumeContext');
}

const BUILD_CACHE_TABLE =
  'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';
const BUILD_CACHE_HEADERS = {
  ID: 'CACHE ID',
  CacheType: 'CACHE TYPE',
  Size: 'SIZE',
  CreatedSince: 'CREATED',
  LastUsedSince: 'LAST USED',
  UsageCount: 'USAGE',
  Shared: 'SHARED',
};

/** Least recently used first; never-used records before all others. */
function sortBuildCache(items: Api.BuildCache[]): Api.BuildCache[] {
  const used = (b: Api.BuildCache): number => (b.LastUsedAt ? Date.parse(b.LastUsedAt) : -Infinity);
  const byID = (x = '', y = ''): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...items].sort((a, b) => used(a) - used(b) || byID(a.ID, b.ID));
}

function buildCacheRow(b: Api.BuildCache, trunc: boolean, now: Date = new Date()): FormatContext {
  const since = (iso: string | null | undefined): string =>
    iso ? humanDuration(now.getTime() - Date.parse(iso)) + ' ago' : '';
  const id = trunc ? truncateID(b.ID ?? '') : (b.ID ?? '');
  return new FormatContext(
    {
      ID: b.InUse ? `${id}*` : id,
      CacheType: b.Type ?? '',
      Description: b.Description ?? '',
      Size: humanSizeWithPrecision(b.Size ?? 0, 3),
      CreatedSince: since(b.CreatedAt),
      LastUsedSince: since(b.LastUsedAt),
      UsageCount: String(b.UsageCount ?? 0),
      InUse: String(b.InUse ?? false),
      Shared: String(b.Shared ?? false),
    },
    'buildCacheContext',
  );
}
