#!/usr/bin/env bash
# Obtains a Quadlet generator for machines whose podman has none (Debian 12's podman 4.3 ships no Quadlet):
# downloads Debian 13's podman package with a private apt state (the machine's apt sources, lists and cache
# are never touched), unpacks it under CACHE and prints the path of its `quadlet` binary. The binary links
# only libc, so it runs on Debian 12. Idempotent: when CACHE already holds a working binary, nothing is fetched.
#
# usage: quadlets/fetch-generator.sh [CACHE]        (default /var/cache/puzzlepod/quadlet)
# prints: CACHE/root/usr/libexec/podman/quadlet
set -euo pipefail
cache=${1:-/var/cache/puzzlepod/quadlet}
suite=${PUZZLEPOD_QUADLET_SUITE:-trixie}
mirror=${PUZZLEPOD_QUADLET_MIRROR:-http://deb.debian.org/debian}
bin=$cache/root/usr/libexec/podman/quadlet

works() { [ -x "$bin" ] && "$bin" -version >/dev/null 2>&1; }
if works; then echo "$bin"; exit 0; fi

mkdir -p "$cache"
apt_dir=$cache/apt
mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/sources.list.d" \
         "$apt_dir/etc/preferences.d" "$apt_dir/download"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$apt_dir/etc/sources.list"
apt_opts=(
  -o "Dir::State=$apt_dir/state"
  -o "Dir::State::status=/var/lib/dpkg/status"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/etc/sources.list.d"
  -o "Dir::Etc::Preferences=$apt_dir/etc/preferences"
  -o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d"
  -o "APT::Architecture=amd64"
  -q
)
apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 \
  || { echo "fetch-generator: apt-get update for $suite failed (see $apt_dir/update.log)" >&2; exit 1; }
rm -f "$apt_dir"/download/podman_*.deb
(cd "$apt_dir/download" && apt-get "${apt_opts[@]}" download "podman/$suite" >"$apt_dir/download.log" 2>&1) \
  || { echo "fetch-generator: apt-get download podman/$suite failed (see $apt_dir/download.log)" >&2; exit 1; }
deb=$(ls "$apt_dir"/download/podman_*.deb)
rm -rf "$cache/root.new"
dpkg-deb -x "$deb" "$cache/root.new"
[ -x "$cache/root.new/usr/libexec/podman/quadlet" ] \
  || { echo "fetch-generator: $(basename "$deb") has no usr/libexec/podman/quadlet" >&2; exit 1; }
rm -rf "$cache/root"
mv "$cache/root.new" "$cache/root"
# Keep the cache small: the unpacked package is all that is needed.
rm -rf "$apt_dir/state/lists" "$apt_dir/cache" "$apt_dir/download"
works || { echo "fetch-generator: $bin does not run on this machine" >&2; exit 1; }
echo "$bin"
