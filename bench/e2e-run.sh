#!/usr/bin/env bash
# puzzle-podman end to end: `puzzle-podman run --auto-commit IMAGE true` ÷ plain `podman run --rm IMAGE true`,
# interleaved in one session (alternating which goes first), medians and their ratio.
#
# usage: bash bench/e2e-run.sh --runtime-dir DIR [--runs N] [--image IMG]   (a running puzzled; root's: /run/puzzled)
#        bash bench/e2e-run.sh --stand-in [--runs N] [--image IMG]   (a stand-in puzzled on a private hook socket)
#        bash bench/e2e-run.sh --real [--runs N] [--image IMG]       (starts the real puzzled privately)
#
# puzzle-podman run talks to puzzled over its hook socket (RUNTIME_DIR/hook.sock). With --runtime-dir,
# puzzled must be running with that runtime dir and podman must have its hooks installed; every run creates
# a real branch, the gate evaluates its (empty) changeset and commits. With --stand-in, the script starts
# bench's StandInPuzzled on a private hook socket: branches are real overlay upper/work dirs, but the
# decision comes back at once and no hook runs, so the ratio is the wrapper's own cost (JVM start, socket
# calls, the overlay mount). With --real, the script starts a private system-type dbus-daemon with the
# product's bus policy, the real puzzled (bin/puzzled; the repository's profiles and policies, every
# directory in a temp dir) and the shipped OCI hook (bin/puzzle-hook) in a private hooks dir: the whole
# governed path (precreate, seccomp attach, exit watch, gate), nothing installed.
# Run bin/build-aot-caches first for the launcher's AOT cache (the script says whether it is used).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
runs=15 image=localhost/puzzlepod-test:latest rtdir= standin= real=
while [ $# -gt 0 ]; do
  case $1 in
    --runtime-dir) rtdir=$2; shift 2 ;;
    --stand-in) standin=1; shift ;;
    --real) real=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    *) echo "usage: bash bench/e2e-run.sh (--runtime-dir DIR | --stand-in | --real) [--runs N] [--image IMG]" >&2; exit 2 ;;
  esac
done
if [ -z "$rtdir" ] && [ -z "$standin" ] && [ -z "$real" ]; then echo "bench/e2e-run.sh: give --runtime-dir DIR (puzzled running), --stand-in or --real" >&2; exit 2; fi
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
  if declare -F stack_stop >/dev/null; then stack_stop; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/base" && echo hello > "$tmp/base/README"

if [ -n "$standin" ]; then
  rtdir=$tmp/run
  mkfifo "$tmp/standin.in"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    org.lobstertrap.puzzlepod.bench.podman.StandInPuzzled "$rtdir" "$tmp/branches" < "$tmp/standin.in" > "$tmp/standin.out" 2>&1 &
  pids+=($!)
  exec 3> "$tmp/standin.in"   # keeps the stand-in's stdin open until the script ends
  for _ in $(seq 200); do grep -q ready "$tmp/standin.out" 2>/dev/null && break; sleep 0.05; done
  grep -q ready "$tmp/standin.out" || { echo "stand-in did not start:"; cat "$tmp/standin.out"; exit 1; }
  mode="stand-in puzzled on a private hook socket"
elif [ -n "$real" ]; then
  source demo/lib/governed-stack.sh   # private system-type bus + puzzled + the shipped hook
  stack_start "$repo" "$tmp/stack"
  rtdir=$STACK_RUNTIME_DIR
  governed_podman=$STACK_PODMAN
  mode="real puzzled and the OCI hook, private runtime dir and bus"
else
  mode="puzzled with runtime dir $rtdir"
fi
aot=podman-wrapper/target/aot/PuzzlePodman.aot
if [ -f "$aot" ] && [ "$aot" -nt podman-wrapper/target/puzzlepod-podman-wrapper-*.jar ]; then cache="AOT cache in use"; else cache="no AOT cache (run bin/build-aot-caches)"; fi

now() { date +%s%N; }
governed_podman=${governed_podman:-podman}
wrapper() { PUZZLEPOD_PODMAN=$governed_podman bin/puzzle-podman run --runtime-dir "$rtdir" --base "$tmp/base" --auto-commit --rm "$image" true > /dev/null 2>> "$tmp/wrapper.err"; }
plain() { podman run --rm "$image" true > /dev/null; }
# the wrapper's own part: the same run with `true` standing in for podman (no container, no overlay mount)
alone() { PUZZLEPOD_PODMAN=true bin/puzzle-podman run --runtime-dir "$rtdir" --base "$tmp/base" --auto-commit --rm "$image" true > /dev/null 2>> "$tmp/wrapper.err"; }
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
  # every governed run must have been a real, committed branch, attached at runc's seccomp message
  n=$(cat "$tmp"/stack/state/audit/*.ndjson 2>/dev/null | grep -c '"type":"gate.decision"' || true)
  a=$(cat "$tmp"/stack/state/audit/*.ndjson 2>/dev/null | grep -c '"type":"branch.attached"' || true)
  g=$(cat "$tmp"/stack/state/audit/*.ndjson 2>/dev/null | grep '"type":"gate.decision"' | grep -o '"duration_ms":[0-9]*' | cut -d: -f2 || true)
  echo "real daemon: $n gate decisions, $a attachments (audit log); gate duration median $(median $g) ms"
  # the attach at runc's seccomp message (cgroup, pidfd, network rules) holds the container's first exec
  t=$(grep -o 'attached in [0-9]* ms' "$tmp/stack/puzzled.log" | awk '{print $3}' || true)
  [ -z "$t" ] || echo "attach before the first exec (network rules, proxy admission): median $(median $t) ms"
fi
