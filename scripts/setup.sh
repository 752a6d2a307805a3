#!/usr/bin/env bash
# Idempotent set-up: installs the Debian packages berth needs when they are
# missing, the npm dependencies when they are missing or stale, and builds.
# `npm start` and `npm test` call it; running it twice does no work twice.
set -euo pipefail
cd "$(dirname "$0")/.."

# package -> a file it installs (checked instead of dpkg for speed)
declare -A PACKAGES=(
  [runc]=/usr/sbin/runc
  [conmon]=/usr/bin/conmon
  [containernetworking-plugins]=/usr/lib/cni/bridge
  [iptables]=/usr/sbin/iptables
  [iproute2]=/usr/sbin/ip
  [busybox-static]=/bin/busybox
  [docker-registry]=/usr/bin/docker-registry
  [skopeo]=/usr/bin/skopeo
  [tini]=/usr/bin/tini-static
  [zstd]=/usr/bin/zstd
  [build-essential]=/usr/bin/g++
  [python3]=/usr/bin/python3
  [curl]=/usr/bin/curl
  [apache2-utils]=/usr/bin/htpasswd
  [openssl]=/usr/bin/openssl
  [sqlite3]=/usr/bin/sqlite3
  [debootstrap]=/usr/sbin/debootstrap
)
missing=()
for pkg in "${!PACKAGES[@]}"; do
  [ -e "${PACKAGES[$pkg]}" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "berth setup: missing packages ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  echo "berth setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The reference engine (Debian docker.io) for the compatibility tests and
# benchmarks; without it those tests skip and say why.
if [ ! -x /usr/sbin/dockerd ] && [ "$(id -u)" = 0 ]; then
  bash scripts/bench-setup.sh || echo "berth setup: docker.io not installed; tests against real Docker will be skipped" >&2
fi

# npm dependencies: reinstall only when the lock file changed since the last install
stamp=node_modules/.berth-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "berth setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

npx tsc -p tsconfig.json
