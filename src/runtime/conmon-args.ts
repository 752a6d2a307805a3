/**
 * conmon's command line for creating a container (conmon 2.1.x, `conmon --help`).
 */
import { join } from 'node:path';
import { DEFAULT_RUNC_PATH } from './runc.js';

/** Written by runc (via conmon's `-p`): the container's init pid. In the bundle so it goes with it. */
const CONTAINER_PIDFILE = 'pidfile';
/** Written by conmon (`-P`): the pid of the long-lived monitor, after its double fork. */
export const CONMON_PIDFILE = 'conmon.pid';

export interface ConmonArgsOptions {
  /** Container ID; also runc's ID, conmon's `--cid`/`--cuuid` and the exit file's name. */
  id: string;
  /** Directory holding config.json and the rootfs; conmon also puts `attach`, `ctl`, `winsz` here. */
  bundle: string;
  /** runc's state directory (`runc --root`). */
  runcRoot: string;
  /** Where conmon writes `<id>` holding the exit status when the container ends. */
  exitDir: string;
  /** The k8s-file log conmon writes the container's stdout and stderr to. */
  logPath: string;
  /**
   * Directory for conmon's short attach paths: it creates `<socketDir>/<id>`
   * as a symlink to the bundle so the socket path stays under the 108-byte
   * sun_path limit; the socket itself is `<socketDir>/<id>/attach`.
   */
  socketDir: string;
  /** Allocate a pseudo-terminal; the OCI spec's `process.terminal` must agree. */
  tty: boolean;
  /** Keep a stdin pipe open that attach clients can write to. */
  stdin: boolean;
  /** Docker's StdinOnce: close the container's stdin when the first attached client detaches. */
  stdinOnce?: boolean;
  /** Rotate the log when it reaches this many bytes (conmon keeps no old files). */
  logSizeMax?: number;
  /** Container name, for conmon's own syslog messages. */
  name?: string;
  runcPath?: string;
}

export function conmonArgs(o: ConmonArgsOptions): string[] {
  // prettier-ignore
  const args = [
    '--api-version', '1',
    '--cid', o.id,
    '--cuuid', o.id,
    '--runtime', o.runcPath ?? DEFAULT_RUNC_PATH,
    '--bundle', o.bundle,
    '--container-pidfile', join(o.bundle, CONTAINER_PIDFILE),
    '--conmon-pidfile', join(o.bundle, CONMON_PIDFILE),
    '--exit-dir', o.exitDir,
    '--log-path', `k8s-file:${o.logPath}`,
    '--socket-dir-path', o.socketDir,
    // conmon writes `oom` here when the kernel's OOM killer hits the container (OOMKilled).
    '--persist-dir', o.bundle,
    // runc reads these before its subcommand; JSON logs make its errors parseable (runc-error.ts).
    '--runtime-arg', '--root', '--runtime-arg', o.runcRoot,
    '--runtime-arg', '--log-format=json',
  ];
  if (o.name !== undefined) args.push('--name', o.name);
  if (o.tty) args.push('--terminal');
  if (o.stdin) args.push('--stdin');
  if (o.stdin && o.stdinOnce !== true) args.push('--leave-stdin-open');
  if (o.logSizeMax !== undefined && o.logSizeMax > 0) args.push('--log-size-max', String(o.logSizeMax));
  return args;
}
