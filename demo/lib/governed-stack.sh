# shellcheck shell=bash
# Starts the governed stack from a built checkout in a scratch directory, for the demos and the end-to-end
# benchmark: a private system-type D-Bus with the product's bus policy (an installed host uses the system
# bus and /etc/dbus-1/system.d instead), puzzled on it with the shipped profiles and policies, and the
# shipped hooks.d files in a private hooks dir pointing at this checkout's puzzle-hook.
#
#   source demo/lib/governed-stack.sh
#   stack_start REPO DIR        # sets STACK_BUS (address), STACK_RUNTIME_DIR (puzzled's runtime dir, its
#                               # hook socket), STACK_PODMAN (podman with the hooks dir), STACK_LOG (puzzled's
#                               # log); exports PUZZLEPOD_BUS (puzzlectl, agent subcommands) and
#                               # PUZZLEPOD_RUNTIME_DIR and PUZZLEPOD_SHIM (puzzle-podman run)
#   stack_stop                  # stops puzzled (SIGTERM) and the bus; call it from an EXIT trap
STACK_PIDS=()

stack_stop() {
  local p
  for p in "${STACK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${STACK_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  STACK_PIDS=()
}

stack_start() {
  local repo=$1 dir=$2 f
  mkdir -p "$dir"
  chmod 0755 "$dir"
  cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/bus</listen>
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
  dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile --print-address=1 > "$dir/bus.addr" 2>/dev/null &
  STACK_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$dir/bus.addr" ] && break; sleep 0.05; done
  STACK_BUS=$(head -1 "$dir/bus.addr")
  [ -n "$STACK_BUS" ] || { echo "governed-stack: dbus-daemon did not start" >&2; return 1; }
  export PUZZLEPOD_BUS=$STACK_BUS
  STACK_RUNTIME_DIR=$dir/run
  export PUZZLEPOD_RUNTIME_DIR=$STACK_RUNTIME_DIR

  mkdir -p "$dir/etc/profiles" "$dir/etc/policies" "$dir/hooks.d"
  cp "$repo"/profiles/*.yaml "$dir/etc/profiles/"
  cp "$repo"/policies/*.rego "$dir/etc/policies/"
  # network ports 0: any free ones, so this private daemon never collides with an installed puzzled
  printf 'branch_root: %s\nprofiles_dir: %s\npolicies_dir: %s\nruntime_dir: %s\naudit_dir: %s\nnetwork: {proxy_port: 0, dns_port: 0}\n' "$dir/state/branches" \
    "$dir/etc/profiles" "$dir/etc/policies" "$dir/run" "$dir/state/audit" > "$dir/puzzled.yaml"
  STACK_LOG=$dir/puzzled.log
  "$repo/bin/puzzled" --config "$dir/puzzled.yaml" --bus "$STACK_BUS" --foreground 2> "$STACK_LOG" &
  STACK_PIDS=($! "${STACK_PIDS[@]}")  # puzzled first: it stops before its bus
  for _ in $(seq 600); do grep -q 'ready: ' "$STACK_LOG" 2>/dev/null && break; kill -0 "${STACK_PIDS[0]}" 2>/dev/null || break; sleep 0.1; done
  grep -q 'ready: ' "$STACK_LOG" || { echo "governed-stack: puzzled did not start:" >&2; cat "$STACK_LOG" >&2; return 1; }

  # podman passes hooks only the environment their JSON names: the daemon's runtime dir (its hook socket)
  # and this checkout's puzzle-init (the Landlock shim every governed container starts under) go in there
  local shim=$repo/init-shim/target/puzzle-init
  [ -x "$shim" ] || { echo "governed-stack: $shim is missing (mvn -DskipTests package builds it)" >&2; return 1; }
  for f in "$repo"/hooks.d/*.json; do
    sed -e "s|/usr/libexec/puzzlepod/puzzle-hook|$repo/bin/puzzle-hook|" \
        -e "s|\"env\": \\[|\"env\": [\"PUZZLEPOD_RUNTIME_DIR=$STACK_RUNTIME_DIR\", \"PUZZLEPOD_SHIM=$shim\", |" "$f" > "$dir/hooks.d/${f##*/}"
  done
  grep -q PUZZLEPOD_RUNTIME_DIR "$dir/hooks.d/puzzlepod-precreate.json" || { echo "governed-stack: could not rewrite hooks.d" >&2; return 1; }
  # puzzle-podman run hands the same shim to podman itself (--init-path) and then needs no hook
  export PUZZLEPOD_SHIM=$shim
  STACK_PODMAN=$dir/podman-with-hooks
  printf '#!/bin/sh\nexec podman --hooks-dir %s "$@"\n' "$dir/hooks.d" > "$STACK_PODMAN"
  chmod 0755 "$STACK_PODMAN"
}
