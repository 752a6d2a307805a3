#!/usr/bin/env bash
# Installs the reference engine for `npm run bench`: Debian's docker.io
# (dockerd 20.10, which pulls in containerd and runc). Idempotent: does nothing
# when the packages are already there, and runs `apt-get update` only when
# something is missing.
#
# The benchmarks start dockerd themselves on a private socket and data root;
# nothing here may start a system dockerd. There is no systemd on these
# machines, and /usr/sbin/policy-rc.d (exit 101) stops maintainer scripts
# from starting services; we check both so a changed machine fails loudly
# instead of leaving a daemon on /var/run/docker.sock.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
PACKAGES=(docker.io containerd runc)
# Other setup scripts may hold the dpkg lock at the same time; wait for it.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -y --no-install-recommends)

if [[ $EUID -ne 0 ]]; then
  echo "bench-setup: must run as root (installs packages)" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ -d /run/systemd/system ]]; then
    echo "bench-setup: systemd is running here; installing docker.io would start a system dockerd — refusing" >&2
    exit 1
  fi
  if [[ ! -x /usr/sbin/policy-rc.d ]] || /usr/sbin/policy-rc.d docker start >/dev/null 2>&1; then
    echo "bench-setup: no policy-rc.d forbids service starts; refusing to install docker.io" >&2
    exit 1
  fi
  echo "bench-setup: installing ${missing[*]}" >&2
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get install "${APT_OPTS[@]}" "${missing[@]}"
fi

# Whatever happened above, the reference must not be running on the shared
# socket: the harness starts its own dockerd and would not notice a second one.
if pgrep -x dockerd >/dev/null; then
  echo "bench-setup: warning: a dockerd is already running (pid $(pgrep -x dockerd | tr '\n' ' ')); benchmarks start their own" >&2
fi

command -v dockerd >/dev/null || { echo "bench-setup: dockerd not found after install" >&2; exit 1; }
echo "bench-setup: $(dockerd --version)" >&2
