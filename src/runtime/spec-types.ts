import type { Api, OciRuntime } from '../spec/index.js';
import type { HostDevices } from './spec-devices.js';
import type { ResolvedUser } from './user.js';

/**
 * The process settings of a container: the image's defaults (`config` of
 * the image config) merged with the create request. Both the image and the
 * request have this shape; `Entrypoint`/`Cmd` may be null in either.
 */
export interface ContainerSettings {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  Tty?: boolean;
  /** Keep stdin open for attach clients (`docker run -i`); StdinOnce closes it when the first one leaves. */
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  ArgsEscaped?: boolean | null;
  StopSignal?: string | null;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, object> | null;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: Api.HealthConfig;
}

/** How the container gets its network namespace. */
export type NetworkNamespace =
  | { kind: 'new' }
  /** A namespace prepared by the caller (CNI), e.g. `/run/netns/berth-<id>`. */
  | { kind: 'path'; path: string }
  /** `--network host`: no namespace of its own. */
  | { kind: 'host' };

/** Host paths of the files berth writes per container and binds over the image's. */
export interface EtcFiles {
  hosts?: string;
  hostname?: string;
  resolvConf?: string;
}

/** What the spec depends on about the machine it will run on; see `readHostFacts`. */
export interface HostFacts {
  /** Hard RLIMIT_NOFILE of this process: runc fails to start a container asking for more. */
  nofileHardLimit: number;
  /** Unified cgroup hierarchy: Docker gives containers their own cgroup namespace only there. */
  cgroupV2: boolean;
  /** Swap limits need swap accounting (`memory.memsw.*` on cgroup v1). */
  swapAccounting: boolean;
  /** Highest capability number the kernel knows. */
  lastCap: number;
  /**
   * The capabilities berthd may grant (its own bounding set). A daemon with
   * a reduced set (this machine lacks CAP_SYS_RESOURCE) cannot give them all,
   * and runc fails with "unable to apply caps" if asked to.
   */
  boundingCaps: string[];
  /** Docker's architecture name (`amd64`), for seccomp. */
  arch: string;
  kernelRelease: string;
  /** Online CPUs, the upper bound of `--cpus`. */
  cpuCount: number;
  /** Static init binary bound at /dev/init for `--init` (Docker's docker-init). */
  initBinary: string;
  /** Paths Docker masks only when present (per-CPU thermal_throttle directories). */
  extraMaskedPaths: string[];
}

export interface RuntimeSpecInput {
  /** Container ID: names the cgroup (`/berth/<id>`). */
  id: string;
  /** Host path of the container's root filesystem (the overlay mountpoint). */
  rootfs: string;
  /** The merged settings (see `mergeImageDefaults`). */
  config: ContainerSettings;
  hostConfig?: Api.HostConfig;
  /** The resolved `config.User` (see `resolveUser`). */
  user: ResolvedUser;
  /** Volume, bind and other mounts the caller prepared, in addition to Docker's defaults. */
  mounts?: OciRuntime.Mount[];
  etcFiles?: EtcFiles;
  network: NetworkNamespace;
  host: HostFacts;
  /** Another container's namespace files for `--pid`/`--ipc container:<x>` (`/proc/<pid>/ns/...`). */
  joined?: { pid?: string; ipc?: string };
  /** `--device`, looked up on the host (see `hostDevices`); absent at create, where only the flags are checked. */
  devices?: HostDevices;
}
