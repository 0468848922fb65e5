#!/usr/bin/env bash
# One-time set-up (as root) that lets a normal user run governed agents with rootless podman and a per-user
# puzzled. Idempotent: run it again after every build.
#
#   sudo bash demo/rootless-setup.sh USER [--prefix DIR] [--no-install]
#
# For USER (created with `useradd -m` when absent):
# - subordinate uids and gids (useradd allocates 65536 of each; a user without them is an error),
# - /run/user/UID (0700, the user's; logind does this on a desktop, this machine has none),
# - ~/.config/containers/storage.conf: the overlay driver through fuse-overlayfs (else podman picks vfs),
# - ~/.config/containers/containers.conf: the hooks dir of the install below, and slirp4netns with
#   allow_host_loopback=true (Gated networking steers the container's web traffic to the user's puzzled
#   through slirp4netns' 10.0.2.2, which is then the host's loopback),
# - the test image localhost/puzzlepod-test:latest copied from root's storage (no registry is used).
# When the checkout is built (`mvn -DskipTests package`), it also installs PuzzlePod into PREFIX
# (default /opt/puzzlepod, with its own etc/) through install.sh, so that the user can run the launchers,
# the hook and the shim (root's Maven repository is not readable by others); --no-install skips that (the
# machine set-up, which runs before any build).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
user= prefix=/opt/puzzlepod install=1
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --no-install) install=; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "rootless-setup: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$user" ] || { echo "rootless-setup: one USER only" >&2; exit 2; }; user=$1; shift ;;
  esac
done
[ -n "$user" ] || { echo "usage: sudo bash demo/rootless-setup.sh USER [--prefix DIR] [--no-install]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "rootless-setup: run as root (sudo)" >&2; exit 2; }
case $prefix in /*) ;; *) echo "rootless-setup: --prefix must be absolute" >&2; exit 2 ;; esac
[ "$user" != root ] || { echo "rootless-setup: USER must be a normal user, not root" >&2; exit 2; }

if ! id -u "$user" >/dev/null 2>&1; then
  useradd -m -s /bin/bash "$user"
  echo "rootless-setup: created user $user"
fi
uid=$(id -u "$user") gid=$(id -g "$user") home=$(getent passwd "$user" | cut -d: -f6)
for f in /etc/subuid /etc/subgid; do
  grep -q "^$user:" "$f" 2>/dev/null \
    || { echo "rootless-setup: $user has no range in $f (usermod --add-subuids/--add-subgids 100000-165535 $user)" >&2; exit 1; }
done
for b in newuidmap newgidmap fuse-overlayfs slirp4netns; do
  command -v "$b" >/dev/null || { echo "rootless-setup: $b is missing (apt-get install uidmap fuse-overlayfs slirp4netns)" >&2; exit 1; }
done
chmod 0666 /dev/fuse /dev/net/tun 2>/dev/null || true

# the runtime dir logind would make
install -d -m 0700 -o "$uid" -g "$gid" "/run/user/$uid"

as_user() { runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin \
  XDG_RUNTIME_DIR="/run/user/$uid" "$@"; }

conf=$home/.config/containers
as_user mkdir -p "$conf"
as_user tee "$conf/storage.conf" >/dev/null <<'CONF'
# written by PuzzlePod's rootless-setup.sh: overlay through fuse-overlayfs (governed branches are diffed as
# fuse-overlayfs upper directories)
[storage]
driver = "overlay"
[storage.options.overlay]
mount_program = "/usr/bin/fuse-overlayfs"
CONF
as_user tee "$conf/containers.conf" >/dev/null <<CONF
# written by PuzzlePod's rootless-setup.sh
[containers]
# 10.0.2.2 in a container is the host's loopback, where this user's puzzled serves Gated networking (the
# container's nftables rules let it reach only those ports)
[engine]
hooks_dir = ["$prefix/share/containers/oci/hooks.d"]
network_cmd_options = ["allow_host_loopback=true"]
CONF

image=localhost/puzzlepod-test:latest
if podman image exists "$image" && ! as_user podman image exists "$image" 2>/dev/null; then
  tmp=$(mktemp -d); chmod 0755 "$tmp"
  podman save -q -o "$tmp/image.tar" "$image"
  chmod 0644 "$tmp/image.tar"
  as_user podman load -q -i "$tmp/image.tar" >/dev/null
  rm -rf "$tmp"
  echo "rootless-setup: loaded $image into $user's storage"
fi
as_user podman image exists "$image" || echo "rootless-setup: note: $image is not in $user's storage (build it as root first: .ci/setup-machine.sh)" >&2

if [ -z "$install" ]; then
  :
elif [ -f "$repo/daemon/target/classpath.txt" ] && [ -x "$repo/init-shim/target/puzzle-init" ]; then
  # a fresh install: files an older build shipped (e.g. retired hook stages) must not stay behind
  if [ -f "$prefix/lib/puzzlepod/MANIFEST" ]; then bash "$repo/install.sh" --uninstall --prefix "$prefix" >/dev/null; fi
  bash "$repo/install.sh" --prefix "$prefix" --sysconfdir "$prefix/etc" --no-aot >/dev/null
  echo "rootless-setup: PuzzlePod installed in $prefix for $user (puzzled, puzzle-podman, puzzlectl in $prefix/bin)"
else
  echo "rootless-setup: the checkout is not built yet (mvn -DskipTests package); run this again afterwards to install it in $prefix"
fi
echo "rootless-setup: $user (uid $uid) is ready for rootless governed containers"
