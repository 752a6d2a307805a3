/**
 * Rows for `ps`, field for field what docker's container formatter context
 * offers, so `--format` templates written for docker work unchanged.
 */
import { isTableFormat, TABLE_FORMAT } from './format.js';
import { ellipsis, familiarName, parseReference, truncateID } from './names.js';
import { FormatContext } from './template.js';
import { createdSince, goTimeString, humanSizeWithPrecision } from './units.js';
import type { Api } from '../spec/index.js';

export const CONTAINER_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
};

const CONTAINER_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** The format `ps` uses for the given flags (docker's NewContainerFormat). */
export function containerFormat(format: string, options: { quiet: boolean; size: boolean }): string {
  if (format === '' || format === TABLE_FORMAT) {
    if (options.quiet) return '{{.ID}}';
    return options.size ? `${CONTAINER_TABLE}\t{{.Size}}` : CONTAINER_TABLE;
  }
  if (isTableFormat(format) && options.size && !format.includes('{{.Size}}')) return `${format}\t{{.Size}}`;
  return format;
}

export interface ContainerRowOptions {
  trunc: boolean;
  now?: Date;
}

/** docker shows a tagged image by its familiar name and a digest-pinned one without the digest. */
function imageName(c: Api.ContainerSummary, trunc: boolean): string {
  const image = c.Image ?? '';
  if (image === '') return '<no image>';
  if (!trunc) return image;
  if (c.ImageID && truncateID(c.ImageID) === truncateID(image)) return truncateID(image);
  const ref = parseReference(image);
  if (!ref) return image;
  return familiarName(ref.name) + (ref.tag !== undefined ? `:${ref.tag}` : '');
}

/** Names without the leading '/'; truncated, only the first that is not a link (`/a/b`). */
function names(c: Api.ContainerSummary, trunc: boolean): string {
  const all = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  if (!trunc) return all.join(',');
  const own = all.find((n) => !n.includes('/'));
  return own ?? all.join(',');
}

/** `0.0.0.0:8080->80/tcp, 443/tcp`. */
function ports(c: Api.ContainerSummary): string {
  return (c.Ports ?? [])
    .map((p) => {
      const inner = `${p.PrivatePort}/${p.Type}`;
      if (p.PublicPort === undefined) return inner;
      const ip = p.IP?.includes(':') ? `[${p.IP}]` : (p.IP ?? '');
      return `${ip}:${p.PublicPort}->${inner}`;
    })
    .join(', ');
}

function size(c: Api.ContainerSummary): string {
  const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
  const virtual = humanSizeWithPrecision(c.SizeRootFs ?? 0, 3);
  return c.SizeRootFs ? `${rw} (virtual ${virtual})` : rw;
}

export function containerRow(c: Api.ContainerSummary, o: ContainerRowOptions): FormatContext {
  const command = c.Command ?? '';
  const labels = c.Labels ?? {};
  return new FormatContext(
    {
      ID: o.trunc ? truncateID(c.Id ?? '') : (c.Id ?? ''),
      Image: imageName(c, o.trunc),
      Command: JSON.stringify(o.trunc ? ellipsis(command, 20) : command),
      CreatedAt: goTimeString(c.Created ?? 0),
      RunningFor: createdSince(c.Created ?? 0, o.now),
      Ports: ports(c),
      State: c.State ?? '',
      Status: c.Status ?? '',
      Size: size(c),
      Names: names(c, o.trunc),
      Labels: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      Mounts: (c.Mounts ?? [])
        .map((m) => (o.trunc ? ellipsis(m.Name ?? m.Source ?? '', 15) : (m.Name ?? '')))
        .join(','),
      Networks: Object.keys(c.NetworkSettings?.Networks ?? {})
        .sort()
        .join(','),
      LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Driver === 'local').length),
    },
    'containerContext',
  );
}
