#!/bin/sh
# Makes a Debian bookworm base image from Debian's mirror with debootstrap
# (minbase variant: apt, dpkg and essentials, about 80 MB) and imports it
# into berth as debian-local:bookworm. Run as root; takes about a minute.
set -eu
MIRROR=${MIRROR:-http://deb.debian.org/debian}
TAG=${TAG:-debian-local:bookworm}
ROOT=$(mktemp -d /tmp/debian-rootfs.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT

debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"
# Apt inside a container: no daemons may start, no docs or caches are kept.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin

tar -C "$ROOT" --numeric-owner -c . |
  berth import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - "$TAG"
echo "imported $TAG"
