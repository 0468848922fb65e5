#!/usr/bin/env bash
# Runs the benchmarks that carry a goal, each against its reference measured in the same run.
# usage: bash bench/run.sh [branch-core|dbus|daemon|rego|hooks|network|containment|all]   (as root; builds first if needed)
# Results are ratios; absolute times on a shared machine are noise. Details: bench/README.md.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
[ -f bench/target/classpath.txt ] || mvn -q -B -ntp -DskipTests package
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
run() { echo; echo "### $*"; "$java" --enable-native-access=ALL-UNNAMED -Xss8m -cp "$cp" "$@"; }
what=${1:-all}
scratch=${PUZZLEPOD_BENCH_DIR:-/var/tmp}
if [ "$what" = branch-core ] || [ "$what" = all ]; then
  run org.lobstertrap.puzzlepod.bench.DiffBenchmark 9 "$scratch"          # diff ÷ find + sha256sum (goal ≤ 1.5x)
  run org.lobstertrap.puzzlepod.bench.CommitBenchmark "$scratch" 7        # commit ÷ cp -a + sync (goal ≤ 1.5x)
  run org.lobstertrap.puzzlepod.bench.RollbackBench --dir "$scratch/puzzlepod-rollback-bench" --runs 5 --warmup 1  # goal < 5 ms
fi
if [ "$what" = dbus ] || [ "$what" = all ]; then
  run org.lobstertrap.puzzlepod.bench.DbusBenchmark 2000 5 15           # D-Bus call ÷ Peer.Ping; fresh client ÷ dbus-send
fi
if [ "$what" = daemon ] || [ "$what" = all ]; then
  [ -f daemon/target/classpath.txt ] || mvn -q -B -ntp -DskipTests package   # bin/puzzled runs the built daemon
  run org.lobstertrap.puzzlepod.bench.daemon.CreateLatencyBench 200 5 "$scratch"  # CreateBranch ÷ Peer.Ping, ÷ BranchStore.create
  run org.lobstertrap.puzzlepod.bench.daemon.DaemonMemoryBench "" 64 "$scratch"   # VmRSS/VmHWM with 64 branches (goal ≤ 128 MiB)
fi
if [ "$what" = rego ] || [ "$what" = all ]; then
  run org.lobstertrap.puzzlepod.bench.rego.CommitPolicyRatio 20         # Rego gate ÷ hand-coded Java (goal ≤ 5x)
  run org.lobstertrap.puzzlepod.bench.GateBenchmark 20                  # governance gate, shipped rules ÷ hand-coded Java
fi
if [ "$what" = hooks ] || [ "$what" = all ]; then
  bin/build-aot-caches >/dev/null
  run org.lobstertrap.puzzlepod.bench.HookStartupBench --runs 11                # each hook stage ÷ podman run of the test image
fi
if [ "$what" = network ] || [ "$what" = all ]; then
  run org.lobstertrap.puzzlepod.bench.GatedProxyBench 15 200             # Gated proxy ÷ direct HTTP on loopback
fi
if [ "$what" = containment ] || [ "$what" = all ]; then
  run org.lobstertrap.puzzlepod.bench.ExecveNotifyBenchmark 1000 5      # execve under the seccomp supervisor ÷ without (goal ≤ +30 µs)
  echo; echo "### bench/shim-start.sh"
  bash bench/shim-start.sh --runs 15                                    # podman run with puzzle-init + rules ÷ without
fi
