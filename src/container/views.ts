import type { Api } from '../spec/index.js';
import type { ContainerPaths } from './paths.js';
import type { Container, ContainerHealth } from './types.js';
import { mountPointsView, mountsOfContainer } from './volume-mounts.js';

/** Docker's `State` object. */
function stateView(c: Container): Api.ContainerState {
  const s = c.state;
  return {
    Status: s.status,
    Running: s.status === 'running' || s.status === 'paused',
    Paused: s.status === 'paused',
    Restarting: s.status === 'restarting',
    OOMKilled: s.oomKilled,
    Dead: s.status === 'dead',
    Pid: s.pid,
    ExitCode: s.exitCode,
    Error: s.error,
    StartedAt: s.startedAt,
    FinishedAt: s.finishedAt,
    ...(s.health ? { Health: healthView(s.health) } : {}),
  };
}

/** Docker's `State.Health`. */
function healthView(h: ContainerHealth): Api.Health {
  return { Status: h.status, FailingStreak: h.failingStreak, Log: h.log };
}

/** The `ps` suffix of a running container with a healthcheck: ` (healthy)`, ` (health: starting)`. */
function healthSuffix(h: ContainerHealth | undefined): string {
  if (h === undefined) return '';
  return h.status === 'starting' ? ' (health: starting)' : ` (${h.status})`;
}

/** `GET /containers/{id}/json`. */
export function inspectView(c: Container, paths: ContainerPaths): Record<string, unknown> {
  const dir = paths.dir(c.id);
  const args = [...(c.spec.config.Entrypoint ?? []), ...(c.spec.config.Cmd ?? [])];
  return {
    Id: c.id,
    Created: new Date(c.created).toISOString(),
    Path: args[0] ?? '',
    Args: args.slice(1),
    State: stateView(c),
    Image: c.spec.imageId,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    LogPath: paths.log(c.id),
    Name: `/${c.name}`,
    RestartCount: c.state.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: c.spec.hostConfig,
    GraphDriver: {
      Name: 'overlay2',
      Data: { UpperDir: `${dir}/upper`, WorkDir: `${dir}/work`, MergedDir: `${dir}/rootfs` },
    },
    Mounts: mountPointsView(mountsOfContainer(c.spec)),
    Config: { ...c.spec.config, Image: c.spec.image },
    NetworkSettings: { Networks: {}, Ports: {} },
  };
}

/** Docker's `Status` column: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created". */
function statusText(c: Container, now = Date.now()): string {
  const s = c.state;
  switch (s.status) {
    case 'running':
      return `Up ${humanDuration(now - Date.parse(s.startedAt))}${healthSuffix(s.health)}`;
    case 'paused':
      return `Up ${humanDuration(now - Date.parse(s.startedAt))} (Paused)`;
    case 'exited':
      return s.finishedAt.startsWith('0001')
        ? `Exited (${s.exitCode})`
        : `Exited (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
    case 'created':
      return 'Created';
    case 'restarting':
      return `Restarting (${s.exitCode})`;
    default:
      return s.status.charAt(0).toUpperCase() + s.status.slice(1);
  }
}

/** go-units HumanDuration, as Docker prints ages. */
function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  const days = Math.round(hours / 24);
  if (days < 14) return `${days} days`;
  if (days < 60) return `${Math.round(days / 7)} weeks`;
  if (days < 730) return `${Math.round(days / 30)} months`;
  return `${Math.round(days / 365)} years`;
}

/** `GET /containers/json` item. */
export function summaryView(c: Container): Api.ContainerSummary {
  const args = [...(c.spec.config.Entrypoint ?? []), ...(c.spec.config.Cmd ?? [])];
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.spec.image,
    ImageID: c.spec.imageId,
    Command: args.join(' '),
    Created: Math.floor(c.created / 1000),
    Ports: [],
    Labels: c.spec.config.Labels ?? {},
    State: c.state.status,
    Status: statusText(c),
    HostConfig: { NetworkMode: c.spec.hostConfig.NetworkMode ?? 'default' },
    NetworkSettings: { Networks: {} },
    Mounts: mountPointsView(mountsOfContainer(c.spec)),
  };
}
