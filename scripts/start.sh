#!/usr/bin/env bash
# `npm start`: starts berthd in the background (if it is not running), makes
# busybox:latest from the local busybox-static binary (no network), and says
# what to run next.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_ROOT=${BERTH_DATA_ROOT:-/var/lib/berth}
SOCK=${BERTH_SOCK:-/run/berth/berth.sock}
LOG=${BERTH_LOG:-/var/log/berthd.log}
export DOCKER_HOST="unix://$SOCK"
berth() { node dist/src/bin/berth.js "$@"; }

ping() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1; }

if ping; then
  echo "berthd is already running on $SOCK"
else
  echo "starting berthd (data root $DATA_ROOT, socket $SOCK, log $LOG)"
  mkdir -p "$(dirname "$LOG")"
  nohup node dist/src/bin/berthd.js --data-root "$DATA_ROOT" --host "unix://$SOCK" >>"$LOG" 2>&1 &
  echo $! >"$(dirname "$SOCK")/berthd.pid" 2>/dev/null || true
  for _ in $(seq 1 50); do ping && break; sleep 0.1; done
  ping || { echo "berthd did not start; see $LOG" >&2; tail -n 20 "$LOG" >&2; exit 1; }
fi

if ! berth image inspect busybox:latest >/dev/null 2>&1; then
  echo "making busybox:latest from /bin/busybox"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  tar -C "$rootfs" -c . | berth import -c 'CMD ["sh"]' - busybox:latest >/dev/null
fi

berth images
echo
berth run --rm busybox echo 'hello from a berth container'
pidfile="$(dirname "$SOCK")/berthd.pid"
cat <<MSG

berthd is running in the background (pid file $pidfile, log $LOG).
Point any Docker client at it:
  export DOCKER_HOST=unix://$SOCK
  docker run --rm busybox echo hello # or: npx berth run --rm busybox echo hello
  docker run -d --name web busybox httpd -f -p 8080
  npx berth diff --size web          # what its writable layer holds
Stop it with: kill \$(cat $pidfile)
MSG
