import type { ExecRecord } from './exec-session.js';

/** `GET /exec/{id}/json` (Engine API ExecInspectResponse); ExitCode is null until it exited, as in Docker. */
export interface ExecInspectView {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  Pid: number;
}

export function execInspectView(rec: ExecRecord, pid: number): ExecInspectView {
  const { config } = rec;
  return {
    ID: rec.id,
    Running: rec.status === 'running',
    ExitCode: rec.exitCode ?? null,
    ProcessConfig: {
      tty: config.tty,
      entrypoint: config.cmd[0] ?? '',
      arguments: config.cmd.slice(1),
      privileged: config.privileged,
      ...(config.user !== '' ? { user: config.user } : {}),
    },
    OpenStdin: config.attachStdin,
    OpenStderr: config.attachStderr,
    OpenStdout: config.attachStdout,
    CanRemove: false,
    ContainerID: rec.containerId,
    DetachKeys: config.detachKeys,
    Pid: pid,
  };
}
