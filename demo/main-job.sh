#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: set up (packages, podman settings, test image), build, then run
# the fork-explore-commit demo (demo/governed-agents.sh): puzzled and four agent containers on real podman, each
# in its own overlay branch of one project, through puzzle-podman and plain podman with the hooks: the useful
# work is committed, the careless and the malicious rejected, with their violations and audit trail shown.
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
