#!/usr/bin/env bash
# puzzle-podman end to end: `puzzle-podman run --auto-commit IMAGE true` ÷ plain `podman run --rm IMAGE true`,
# interleaved in one session (alternating which goes first), medians and their ratio.
#
# usage: bash bench/e2e-run.sh --bus ADDRESS|system|session [--runs N] [--image IMG]   (a running puzzled)
#        bash bench/e2e-run.sh --stand-in [--runs N] [--image IMG]   (a stand-in puzzled on a private bus)
#        bash bench/e2e-run.sh --real [--runs N] [--image IMG]       (starts the real puzzled on a private bus)
#
# With --bus, puzzled must be running on that bus (as root: `--bus system`); every run creates a real
# branch, the gate evaluates its (empty) changeset and commits. With --stand-in, the script starts a
# private dbus-daemon and bench's StandInPuzzled on it: branches are real overlay upper/work dirs, but the
# decision comes back at once, so the ratio is the wrapper's own cost (JVM start, D-Bus calls, the overlay
# mount). With --real, the script starts a private system-type dbus-daemon with the product's bus policy,
# the real puzzled (bin/puzzled; the repository's profiles and policies, every directory in a temp dir) and
# the shipped OCI hooks (bin/puzzle-hook) in a private hooks dir: the whole governed path, nothing installed.
# Run bin/build-aot-caches first for the launcher's AOT cache (the script says whether it is used).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
runs=15 image=localhost/puzzlepod-test:latest bus= standin= real=
while [ $# -gt 0 ]; do
  case $1 in
    --bus) bus=$2; shift 2 ;;
    --stand-in) standin=1; shift ;;
    --real) real=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    *) echo "usage: bash bench/e2e-run.sh (--bus ADDRESS|system|session | --stand-in | --real) [--runs N] [--image IMG]" >&2; exit 2 ;;
  esac
done
if [ -z "$bus" ] && [ -z "$standin" ] && [ -z "$real" ]; then echo "bench/e2e-run.sh: give --bus ADDRESS (puzzled running), --stand-in or --real" >&2; exit 2; fi
[ -f podman-wrapper/target/classpath.txt ] && [ -f bench/target/classpath.txt ] \
  || mvn -q -B -o -pl podman-wrapper,bench -am package -DskipTests
if [ -n "$real" ]; then
  [ -f daemon/target/classpath.txt ] && [ -f oci-hook/target/classpath.txt ] \
    || mvn -q -B -o -pl daemon,oci-hook -am package -DskipTests
fi
podman image exists "$image" || { echo "bench/e2e-run.sh: image $image is missing (.ci/setup-machine.sh builds it)" >&2; exit 1; }

tmp=$(mktemp -d /var/tmp/puzzlepod-e2e.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/base" && echo hello > "$tmp/base/README"

if [ -n "$standin" ]; then
  dbus-daemon --session --address="unix:path=$tmp/bus" --nofork --nopidfile --print-address=1 > "$tmp/bus.addr" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/bus.addr" ] && break; sleep 0.05; done
  bus=$(head -1 "$tmp/bus.addr")
  mkfifo "$tmp/standin.in"
  "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    org.lobstertrap.puzzlepod.bench.podman.StandInPuzzled "$bus" "$tmp/branches" < "$tmp/standin.in" > "$tmp/standin.out" 2>&1 &
  pids+=($!)
  exec 3> "$tmp/standin.in"   # keeps the stand-in's stdin open until the script ends
  for _ in $(seq 200); do grep -q ready "$tmp/standin.out" 2>/dev/null && break; sleep 0.05; done
  grep -q ready "$tmp/standin.out" || { echo "stand-in did not start:"; cat "$tmp/standin.out"; exit 1; }
  mode="stand-in puzzled on a private bus"
elif [ -n "$real" ]; then
  # a system-type bus like the real one: only the product's policy lets puzzled own its name
  cat > "$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$tmp/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>$repo/daemon/src/main/resources/dbus/org.lobstertrap.PuzzlePod1.conf</include>
</busconfig>
CONF
  dbus-daemon --config-file="$tmp/bus.conf" --nofork --nopidfile --print-address=1 > "$tmp/bus.addr" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/bus.addr" ] && break; sleep 0.05; done
  bus=$(head -1 "$tmp/bus.addr")
  [ -n "$bus" ] || { echo "bench/e2e-run.sh: dbus-daemon did not start" >&2; exit 1; }
  mkdir -p "$tmp/state/profiles" "$tmp/state/policies" "$tmp/hooks.d"
  cp profiles/*.yaml "$tmp/state/profiles/" && cp policies/*.rego "$tmp/state/policies/"
  printf 'branch_root: %s\nprofiles_dir: %s\npolicies_dir: %s\nruntime_dir: %s\naudit_dir: %s\n' "$tmp/state/branches" \
    "$tmp/state/profiles" "$tmp/state/policies" "$tmp/state/run" "$tmp/state/audit" > "$tmp/puzzled.yaml"
  bin/puzzled --config "$tmp/puzzled.yaml" --bus "$bus" > "$tmp/puzzled.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do grep -q "ready: " "$tmp/puzzled.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "ready: " "$tmp/puzzled.out" || { echo "puzzled did not start:"; cat "$tmp/puzzled.out"; exit 1; }
  # the shipped hook files, pointed at this checkout's puzzle-hook and the private bus
  for f in hooks.d/*.json; do
    sed -e "s|/usr/libexec/puzzlepod/puzzle-hook|$repo/bin/puzzle-hook|" \
        -e "s|\"env\": \\[|\"env\": [\"PUZZLEPOD_BUS=$bus\", |" "$f" > "$tmp/hooks.d/${f##*/}"
  done
  grep -q PUZZLEPOD_BUS "$tmp/hooks.d/puzzlepod-precreate.json" || { echo "bench/e2e-run.sh: could not rewrite hooks.d" >&2; exit 1; }
  printf '#!/bin/sh\nexec podman --hooks-dir %s "$@"\n' "$tmp/hooks.d" > "$tmp/podman-with-hooks"
  chmod +x "$tmp/podman-with-hooks"
  governed_podman=$tmp/podman-with-hooks
  mode="real puzzled and the OCI hooks on a private system-type bus"
else
  mode="puzzled on $bus"
fi
aot=podman-wrapper/target/aot/PuzzlePodman.aot
if [ -f "$aot" ] && [ "$aot" -nt podman-wrapper/target/puzzlepod-podman-wrapper-*.jar ]; then cache="AOT cache in use"; else cache="no AOT cache (run bin/build-aot-caches)"; fi

now() { date +%s%N; }
governed_podman=${governed_podman:-podman}
wrapper() { PUZZLEPOD_PODMAN=$governed_podman bin/puzzle-podman run --bus "$bus" --base "$tmp/base" --auto-commit --rm "$image" true > /dev/null 2>> "$tmp/wrapper.err"; }
plain() { podman run --rm "$image" true > /dev/null; }
# the wrapper's own part: the same run with `true` standing in for podman (no container, no overlay mount)
alone() { PUZZLEPOD_PODMAN=true bin/puzzle-podman run --bus "$bus" --base "$tmp/base" --auto-commit --rm "$image" true > /dev/null 2>> "$tmp/wrapper.err"; }
wrapper && plain && alone  # warm-up (page cache, image layers, JVM files)
w=() p=() o=()
for i in $(seq "$runs"); do
  if [ $((i % 2)) -eq 0 ]; then
    t=$(now); wrapper; w+=($(( ($(now) - t) / 1000000 )))
    t=$(now); plain; p+=($(( ($(now) - t) / 1000000 )))
  else
    t=$(now); plain; p+=($(( ($(now) - t) / 1000000 )))
    t=$(now); wrapper; w+=($(( ($(now) - t) / 1000000 )))
  fi
  t=$(now); alone; o+=($(( ($(now) - t) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${w[@]}") mp=$(median "${p[@]}") mo=$(median "${o[@]}")
echo "puzzle-podman end to end ($mode; $cache; $runs interleaved runs, image $image)"
echo "puzzle-podman run --auto-commit IMAGE true: median $mw ms  [${w[*]}]"
echo "podman run --rm IMAGE true (reference):     median $mp ms  [${p[*]}]"
echo "the wrapper alone (podman replaced by true): median $mo ms  [${o[*]}]"
awk -v a="$mw" -v b="$mp" 'BEGIN {printf "ratio puzzle-podman / podman: %.2fx (+%d ms)\n", a / b, a - b}'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$real" ]; then
  # every governed run must have been a real, committed branch with the hooks attached
  n=$(cat "$tmp"/state/audit/*.ndjson 2>/dev/null | grep -c '"type":"gate.decision"' || true)
  a=$(cat "$tmp"/state/audit/*.ndjson 2>/dev/null | grep -c '"type":"branch.attached"' || true)
  g=$(cat "$tmp"/state/audit/*.ndjson 2>/dev/null | grep '"type":"gate.decision"' | grep -o '"duration_ms":[0-9]*' | cut -d: -f2 || true)
  echo "real daemon: $n gate decisions, $a hook attachments (audit log); gate duration median $(median $g) ms"
fi
