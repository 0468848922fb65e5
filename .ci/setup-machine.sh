#!/usr/bin/env bash
# One-time machine setup for building and testing PuzzlePod on Debian 12 (idempotent):
# packages, the test-machine podman drop-in, device modes for rootless podman, and the local test image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need_pkgs=(podman runc conmon fuse-overlayfs nftables busybox-static uidmap dbus dbus-bin libglib2.0-bin util-linux libc6-dev gcc make attr
           iproute2 slirp4netns maven tar systemd)
missing=()
for p in "${need_pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

# Temurin 25 is the build JDK (the default java on these machines is 17).
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do
    [ -x "$d/bin/java" ] && export JAVA_HOME="$d" && break
  done
fi
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25' || { echo "setup: no Java 25 JDK found under /usr/lib/jvm" >&2; exit 1; }

# Test-machine podman settings (MACHINE.md §1): runc (crun fails in hybrid cgroups here) and
# ulimits this root (no CAP_SYS_RESOURCE) can grant. Not part of the product's containers.conf.d/.
mkdir -p /etc/containers/containers.conf.d
cat > /etc/containers/containers.conf.d/50-test-machine.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF

# Rootless podman needs these world-accessible (Debian/udev default; devtmpfs here has 0600).
chmod 0666 /dev/fuse /dev/net/tun 2>/dev/null || true

# The local test image: busybox-static in a scratch image with every applet linked.
IMAGE=localhost/puzzlepod-test:latest
if ! podman image exists "$IMAGE"; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/{bin,tmp,workspace,etc,proc,sys,dev,root}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -cf - . | podman import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$IMAGE" >/dev/null
  echo "setup: built $IMAGE"
fi

# A Quadlet generator: Debian 12's podman 4.3 has none; Debian 13's binary runs here (it links only libc).
# quadlet-tests/ runs it over quadlets/. Cached, so this fetches once per machine.
bash "$(dirname "$0")/../quadlets/fetch-generator.sh" /var/cache/puzzlepod/quadlet >/dev/null

# Rootless mode: a real unprivileged user with subordinate ids, /run/user/UID, fuse-overlayfs storage, the
# test image and slirp4netns' host loopback (demo/rootless-setup.sh; .ci/run runs it again after the build,
# which installs the build into /opt/puzzlepod for the rootless demo).
id -u puzzleagent >/dev/null 2>&1 || useradd -m -s /bin/bash puzzleagent
bash "$(dirname "$0")/../demo/rootless-setup.sh" puzzleagent --no-install >/dev/null
