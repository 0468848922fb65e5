#!/usr/bin/env bash
# Rootless governed agents: run as a normal user (no sudo) after the one-time set-up
#   sudo bash demo/rootless-setup.sh USER        (after `mvn -DskipTests package`)
# Starts this user's own session dbus-daemon and per-user puzzled (installed in /opt/puzzlepod by the set-up;
# PUZZLEPOD_PREFIX names another prefix), then five agents on rootless podman over a scratch project:
#   1. puzzle-podman run --profile standard --auto-commit  -> committed into the user's project
#   2. the same agent dropping .ssh/id_rsa and a cron file -> rejected (exit 70), project unchanged
#   3. an escaper (Landlock EACCES, seccomp EPERM for mount) -> rolled back (exit 71)
#   4. a restricted agent: sh runs by its allowlist name, a copy of it in /tmp is refused (exec paths are
#      resolved inside the container's FUSE root by puzzled's resolver there) -> rolled back (exit 71)
#   5. plain `podman run --annotation org.lobstertrap.puzzlepod.profile=standard -v PROJECT:/workspace`
#      with the hooks from the user's containers.conf -> committed after the container exits
# plus Gated networking (web traffic reaches only this user's proxy) and a container refused while puzzled is
# down. Exits non-zero when any expected outcome does not happen.
set -euo pipefail
[ "$(id -u)" -ne 0 ] || { echo "rootless.sh: run this as the normal user set up by demo/rootless-setup.sh, not as root" >&2; exit 2; }
prefix=${PUZZLEPOD_PREFIX:-/opt/puzzlepod}
image=localhost/puzzlepod-test:latest
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
for need in "$prefix/bin/puzzled" "$prefix/bin/puzzle-podman" "$prefix/bin/puzzlectl" "$XDG_RUNTIME_DIR"; do
  [ -e "$need" ] || { echo "rootless.sh: $need is missing; run: sudo bash demo/rootless-setup.sh $(id -un)" >&2; exit 1; }
done
podman image exists "$image" || { echo "rootless.sh: $image is not in your podman storage; run: sudo bash demo/rootless-setup.sh $(id -un)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/puzzlepod-rootless.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  podman rm -f -t 0 --ignore puzzlepod-demo-escaper >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
fail() { echo "rootless.sh: FAILED: $*" >&2; echo "--- puzzled's log:" >&2; tail -30 "$work/puzzled.log" >&2 || true; exit 1; }

say "this user's session bus and puzzled (uid $(id -u); runtime dir $XDG_RUNTIME_DIR/puzzled)"
dbus-daemon --session --nofork --nopidfile --address="unix:path=$work/bus" --print-address=1 > "$work/bus.addr" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/bus.addr" ] && break; sleep 0.05; done
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus.addr")
[ -n "$DBUS_SESSION_BUS_ADDRESS" ] || fail "dbus-daemon --session did not start"
# the demo's own config and data (a real set-up uses the XDG defaults: ~/.config/puzzled, ~/.local/share/puzzled)
mkdir -p "$work/profiles" "$work/policies"
cp "$prefix"/share/puzzlepod/profiles/*.yaml "$work/profiles/"
cp "$prefix"/share/puzzlepod/policies/*.rego "$work/policies/"
printf 'branch_root: %s/branches\nprofiles_dir: %s/profiles\npolicies_dir: %s/policies\naudit_dir: %s/audit\n' \
  "$work" "$work" "$work" "$work" > "$work/puzzled.yaml"
"$prefix/bin/puzzled" --config "$work/puzzled.yaml" --bus session --foreground 2> "$work/puzzled.log" &
pids=($! "${pids[@]}")  # puzzled first: it stops before its bus
for _ in $(seq 600); do grep -q 'ready: ' "$work/puzzled.log" 2>/dev/null && break; kill -0 "${pids[0]}" 2>/dev/null || break; sleep 0.1; done
grep -q 'ready: ' "$work/puzzled.log" || fail "puzzled did not start"
grep 'ready: ' "$work/puzzled.log"

base=$work/project
mkdir -p "$base/src" "$base/docs"
printf 'def add(a, b):\n    return a + b\n' > "$base/src/calc.py"
printf '# calc\n' > "$base/README.md"
for i in $(seq 5); do printf 'note %s\n' "$i" > "$base/docs/note$i.md"; done
tree_hash() { (cd "$base" && { find . -printf '%p %y %m\n' | LC_ALL=C sort; find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum; } | sha256sum | cut -c1-16); }
ctl() { "$prefix/bin/puzzlectl" --bus session "$@"; }

say "agent 'helper': puzzle-podman run --profile standard --base PROJECT --auto-commit (rootless podman)"
"$prefix/bin/puzzle-podman" run --profile standard --base "$base" --auto-commit --rm "$image" sh -c '
  cd /workspace && printf "def mul(a, b):\n    return a * b\n" >> src/calc.py && echo "- mul" >> README.md' \
  || fail "the helper's run exited $?, expected 0 (committed)"
grep -q 'def mul' "$base/src/calc.py" || fail "the helper's change is not in the project"
[ "$(stat -c %u "$base/src/calc.py")" = "$(id -u)" ] || fail "the committed file is not owned by $(id -un)"

say "agent 'intruder': drops .ssh/id_rsa and a cron file"
before=$(tree_hash)
set +e
"$prefix/bin/puzzle-podman" run --profile standard --base "$base" --auto-commit --rm "$image" sh -c '
  mkdir -p /workspace/.ssh /workspace/etc/cron.d && echo KEY > /workspace/.ssh/id_rsa && echo "* * * * * root sh /x" > /workspace/etc/cron.d/backdoor'
rc=$?
set -e
[ "$rc" -eq 70 ] || fail "the intruder's run exited $rc, expected 70 (rejected)"
[ "$(tree_hash)" = "$before" ] || fail "the project changed although the changes were rejected"

say "agent 'escaper': Landlock and puzzled's seccomp supervisor, rootless"
set +e
escaper=$("$prefix/bin/puzzle-podman" run --profile standard --base "$base" --auto-rollback --rm --name puzzlepod-demo-escaper "$image" sh -c '
  ls /root >/dev/null 2>&1; echo "ls /root: exit $?"
  (echo x > /etc/evil) 2>/dev/null; echo "write /etc/evil: exit $?"
  /bin/mount -t tmpfs none /tmp 2>&1; echo "mount: exit $?"' 2>/dev/null)
rc=$?
set -e
printf '%s\n' "$escaper"
[ "$rc" -eq 71 ] || fail "the escaper's run exited $rc, expected 71 (rolled back)"
printf '%s\n' "$escaper" | grep -q 'ls /root: exit 1' || fail "Landlock did not refuse reading /root"
printf '%s\n' "$escaper" | grep -q 'write /etc/evil: exit 1' || fail "Landlock did not refuse writing /etc"
printf '%s\n' "$escaper" | grep -q 'Operation not permitted' || fail "the seccomp supervisor did not refuse mount"

say "agent 'restricted': exec decisions judged inside the rootless root (sh by name; a copy in /tmp refused)"
set +e
restricted=$("$prefix/bin/puzzle-podman" run --profile restricted --base "$base" --auto-rollback --rm --name puzzlepod-demo-restricted "$image" sh -c '
  cp /bin/busybox /tmp/sh; /tmp/sh -c true; echo "copied sh: exit $?"' 2>/dev/null)
rc=$?
set -e
printf '%s\n' "$restricted"
[ "$rc" -eq 71 ] || fail "the restricted run exited $rc, expected 71 (rolled back)"
printf '%s\n' "$restricted" | grep -q 'copied sh: exit 126' || fail "a copied shell in /tmp was not refused"
ctl audit list --type seccomp.decision | grep -q "writable location /tmp" || fail "the refusal was not judged by its location"

say "agent 'plain': podman run --annotation org.lobstertrap.puzzlepod.profile=standard (the hooks in ~/.config/containers/containers.conf)"
podman run --rm --annotation org.lobstertrap.puzzlepod.profile=standard -v "$base:/workspace" "$image" \
  sh -c 'echo "plain rootless podman was here" > /workspace/docs/plain.md; printf "GET / HTTP/1.1\r\nHost: not-allowed.example\r\n\r\n" | nc -w 5 203.0.113.7 80 | head -1'
for _ in $(seq 300); do [ -f "$base/docs/plain.md" ] && break; sleep 0.1; done
[ -f "$base/docs/plain.md" ] || fail "the plain podman agent's work was not committed"
ctl audit list --type network.decision | grep -q 'not-allowed.example' || fail "the Gated request did not reach this user's proxy"

say "puzzled stopped: a governed container does not start"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
set +e
podman run --rm --annotation org.lobstertrap.puzzlepod.profile=standard -v "$base:/workspace" "$image" sh -c 'echo ran > /workspace/ran' 2>/dev/null
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "a governed container started without puzzled"
[ ! -e "$base/ran" ] || fail "the ungoverned container wrote the project"
say "rootless OK: committed as $(id -un), rejected with the project untouched, escapes refused, exec paths judged in the container's root, plain podman governed, Gated through this user's proxy, nothing runs without puzzled"
