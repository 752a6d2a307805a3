import { InvalidArgumentError, type Command } from 'commander';
import { parseCpus, parseMemory } from '../flag-values.js';
import { collect } from './shared.js';

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`strconv.ParseInt: parsing "${value}": invalid syntax`);
  return Number(value);
}

/** The container-configuration flags `run` and `create` share (docker's containerOptions). */
export function addCreateOptions(cmd: Command): Command {
  return cmd
    .option('--add-host <list>', 'Add a custom host-to-IP mapping (host:ip)', collect)
    .option('--cap-add <list>', 'Add Linux capabilities', collect)
    .option('--device <list>', 'Add a host device to the container', collect)
    .option('--dns <list>', 'Set custom DNS servers', collect)
    .option('--dns-option <list>', 'Set DNS options', collect)
    .option('--dns-search <list>', 'Set custom DNS search domains', collect)
    .option('--expose <list>', 'Expose a port or a range of ports', collect)
    .option('--hostname <string>', 'Container host name')
    .option('--ip <string>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--mac-address <string>', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)')
    .option('--network <network>', 'Connect a container to a network')
    .option('--network-alias <list>', 'Add network-scoped alias for the container', collect)
    .option('-p, --publish <list>', "Publish a container's port(s) to the host", collect)
    .option('-P, --publish-all', 'Publish all exposed ports to random ports')
    .option('--cap-drop <list>', 'Drop Linux capabilities', collect)
    .option('--cpus <decimal>', 'Number of CPUs', parseCpus)
    .option('--entrypoint <string>', 'Overwrite the default ENTRYPOINT of the image')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('--env-file <list>', 'Read in a file of environment variables', collect)
    .option('--health-cmd <string>', 'Command to run to check health')
    .option('--health-interval <duration>', 'Time between running the check (ms|s|m|h) (default 0s)')
    .option('--health-retries <int>', 'Consecutive failures needed to report unhealthy', integer)
    .option('--health-start-interval <duration>', 'Time between running the check during the start period')
    .option('--health-start-period <duration>', 'Start period for the container to initialize (ms|s|m|h)')
    .option('--health-timeout <duration>', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)')
    .option('--init', 'Run an init inside the container that forwards signals and reaps processes')
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-l, --label <list>', 'Set meta data on a container', collect)
    .option('-m, --memory <bytes>', 'Memory limit', parseMemory)
    .option('--mount <mount>', 'Attach a filesystem mount to the container', collect)
    .option('--name <string>', 'Assign a name to the container')
    .option('--no-healthcheck', 'Disable any container-specified HEALTHCHECK')
    .option('--pid <string>', 'PID namespace to use (host, container:<name|id>)')
    .option('--ipc <string>', 'IPC mode to use (host, container:<name|id>)')
    .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)', integer)
    .option('--privileged', 'Give extended privileges to this container')
    .option('--pull <string>', 'Pull image before creating ("always", "missing", "never")')
    .option('--read-only', "Mount the container's root filesystem as read only")
    .option('--restart <string>', 'Restart policy to apply when a container exits (default "no")')
    .option('--rm', 'Automatically remove the container and its associated anonymous volumes when it exits')
    .option('--security-opt <list>', 'Security Options', collect)
    .option('--stop-signal <string>', 'Signal to stop the container')
    .option('--stop-timeout <int>', 'Timeout (in seconds) to stop a container', integer)
    .option('--tmpfs <list>', 'Mount a tmpfs directory', collect)
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-u, --user <string>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('-v, --volume <list>', 'Bind mount a volume', collect)
    .option('--volumes-from <list>', 'Mount volumes from the specified container(s)', collect)
    .option('-w, --workdir <string>', 'Working directory inside the container');
}
