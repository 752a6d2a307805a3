/**
 * Rows for `volume ls`, field for field what docker's volume formatter
 * context offers, so `--format` templates written for docker work unchanged.
 */
import { TABLE_FORMAT } from './format.js';
import { FormatContext } from './template.js';
import { humanSize } from './units.js';
import type { Api } from '../spec/index.js';

export const VOLUME_HEADERS: Record<string, string> = {
  Name: 'VOLUME NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  Mountpoint: 'MOUNTPOINT',
  Labels: 'LABELS',
  Links: 'LINKS',
  Size: 'SIZE',
  CreatedAt: 'CREATED',
};

const VOLUME_TABLE = 'table {{.Driver}}\t{{.Name}}';
const QUIET_FORMAT = '{{.Name}}';

/** The format `volume ls` uses for the given flags. */
export function volumeFormat(format: string, options: { quiet: boolean }): string {
  if (format !== '' && format !== TABLE_FORMAT) return format;
  return options.quiet ? QUIET_FORMAT : VOLUME_TABLE;
}

function volumeRow(v: Api.Volume): FormatContext {
  const usage = v.UsageData;
  const labels = Object.entries(v.Labels ?? {}).map(([k, value]) => `${k}=${value}`);
  return new FormatContext(
    {
      Name: v.Name,
      Driver: v.Driver,
      Scope: v.Scope,
      Mountpoint: v.Mountpoint,
      Labels: labels.join(','),
      Links: usage ? String(usage.RefCount) : 'N/A',
      Size: usage ? humanSize(usage.Size) : 'N/A',
      CreatedAt: v.CreatedAt ?? '',
    },
    'volumeContext',
  );
}

/** docker sorts volumes by name before printing them. */
export function volumeRows(volumes: readonly Api.Volume[]): FormatContext[] {
  return [...volumes].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)).map(volumeRow);
}
