#!/usr/bin/env bash
# Container start with puzzle-init and a profile's Landlock rules ÷ without: `podman run --rm IMAGE true`
# against the same container started as `/.puzzlepod/puzzle-init -- true` with the shim and a rules file
# bound read-only (what the precreate hook adds), interleaved in one session (alternating which goes
# first, one warm-up each), medians and their ratio. A second pair does the same without podman:
# `puzzle-init --rules FILE -- /bin/true` ÷ `/bin/true` on the host (the shim's own exec, parse and
# Landlock cost), 200 runs per sample.
#
# usage: bash bench/shim-start.sh [--runs N] [--image IMG]    (as root, like podman here)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
runs=15 image=localhost/puzzlepod-test:latest
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    *) echo "usage: bash bench/shim-start.sh [--runs N] [--image IMG]" >&2; exit 2 ;;
  esac
done
[ -x init-shim/target/puzzle-init ] || make -s -C init-shim >/dev/null
podman image exists "$image" || { echo "bench/shim-start.sh: image $image is missing (.ci/setup-machine.sh builds it)" >&2; exit 1; }
tmp=$(mktemp -d /var/tmp/puzzlepod-shim.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the rules puzzled writes for the shipped `standard` profile (core.profile.ShimRules), workspace left out
cat > "$tmp/rules" <<'RULES'
version 1
require landlock
min-abi 1
read /usr
read /lib
read /lib64
read /bin
read /etc
read /opt
read /dev/zero
read /dev/urandom
read /dev/random
write /tmp
write /dev/null
tcp-connect 80 443 53
tcp-bind any
scope signal abstract-unix
RULES
shim=$repo/init-shim/target/puzzle-init

now() { date +%s%N; }
plain() { podman run --rm "$image" true >/dev/null 2>&1; }
shimmed() {
  podman run --rm -v "$shim:/.puzzlepod/puzzle-init:ro" -v "$tmp/rules:/.puzzlepod/rules:ro" "$image" \
    /.puzzlepod/puzzle-init -- true >/dev/null 2>&1
}
host_plain() { for _ in $(seq 200); do /bin/true; done; }
host_shim() { for _ in $(seq 200); do "$shim" --rules "$tmp/rules" -- /bin/true 2>/dev/null; done; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
measure() { # NAME_A FN_A NAME_B FN_B: interleaved, alternating order, one warm-up each
  local fa=$2 fb=$4 t0 i
  $fa; $fb
  : > "$tmp/a"; : > "$tmp/b"
  for i in $(seq "$runs"); do
    if [ $((i % 2)) -eq 0 ]; then
      t0=$(now); $fa; echo $(( $(now) - t0 )) >> "$tmp/a"
      t0=$(now); $fb; echo $(( $(now) - t0 )) >> "$tmp/b"
    else
      t0=$(now); $fb; echo $(( $(now) - t0 )) >> "$tmp/b"
      t0=$(now); $fa; echo $(( $(now) - t0 )) >> "$tmp/a"
    fi
  done
  local ma mb
  ma=$(median < "$tmp/a"); mb=$(median < "$tmp/b")
  awk -v a="$ma" -v b="$mb" -v na="$1" -v nb="$3" 'BEGIN {
    printf "  %-44s %9.2f ms (median)\n  %-44s %9.2f ms (median)\n  ratio %.3fx (%+.2f ms)\n", na, a / 1e6, nb, b / 1e6, b / a, (b - a) / 1e6 }'
}
"$shim" --rules "$tmp/rules" -- /bin/true || { echo "bench/shim-start.sh: puzzle-init refuses the rules on this host" >&2; exit 1; }
echo "shim start: $runs interleaved runs each, image $image, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "podman run --rm IMAGE true, with puzzle-init + rules ÷ without:"
measure "without the shim (reference)" plain "with puzzle-init + standard's rules" shimmed
echo "on the host, 200 execs per sample: puzzle-init --rules FILE -- /bin/true ÷ /bin/true:"
measure "/bin/true (reference)" host_plain "puzzle-init -- /bin/true" host_shim
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
