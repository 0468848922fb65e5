#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: set up (packages, podman settings, test image), build, then run
# two agent containers on real podman, each in its own overlay branch over the same project directory,
# and let a Rego policy decide: the useful agent's work is committed, the malicious agent's is rolled back.
# usage: sudo bash demo/main-job.sh [--no-build]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
if [ "${1:-}" != "--no-build" ]; then
  bash "$repo/.ci/setup-machine.sh"
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  (cd "$repo" && mvn -q -B -ntp -DskipTests package)
  "$repo/bin/build-aot-caches" >/dev/null 2>&1 || true
fi
exec bash "$repo/demo/governed-agents.sh"
