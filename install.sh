#!/usr/bin/env bash
# Installs PuzzlePod from a built checkout (run `mvn -DskipTests package` first), or removes it.
#
# usage: sudo ./install.sh [--prefix /usr] [--sysconfdir /etc] [--destdir DIR] [--no-aot]
#        sudo ./install.sh --uninstall [--purge] [--prefix /usr] [--destdir DIR]
#
# Puts: launchers, jars and the puzzle-init shim in PREFIX/lib/puzzlepod (commands linked from PREFIX/bin, the hook from
# PREFIX/libexec/puzzlepod), the OCI hook JSONs in PREFIX/share/containers/oci/hooks.d, the podman drop-in in
# SYSCONFDIR/containers/containers.conf.d, the D-Bus policy in SYSCONFDIR/dbus-1/system.d, the shipped
# profiles and policies in PREFIX/share/puzzlepod (and, when absent, in SYSCONFDIR/puzzled), the daemon config
# example, the systemd units (PREFIX/lib/systemd/{system,user}/puzzled.service), the example Quadlet units
# (PREFIX/share/puzzlepod/quadlets), bash completion and man pages. Every file it creates is listed in
# PREFIX/lib/puzzlepod/MANIFEST; --uninstall removes exactly those (SYSCONFDIR/puzzled only with --purge,
# all of it: it is the operator's).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
prefix=/usr sysconfdir=/etc destdir= uninstall= purge= aot=1
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --sysconfdir) sysconfdir=$2; shift 2 ;;
    --sysconfdir=*) sysconfdir=${1#*=}; shift ;;
    --destdir) destdir=$2; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    --no-aot) aot=; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case $prefix in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 2 ;; esac
case $sysconfdir in /*) ;; *) echo "install.sh: --sysconfdir must be absolute" >&2; exit 2 ;; esac

libdir=$prefix/lib/puzzlepod
manifest=$destdir$libdir/MANIFEST

if [ -n "$uninstall" ]; then
  [ -f "$manifest" ] || { echo "install.sh: nothing installed under $destdir$prefix (no $manifest)" >&2; exit 1; }
  # Files first (deepest paths first), then the directories that became empty.
  LC_ALL=C sort -r "$manifest" | while IFS= read -r f; do
    if [ -z "$purge" ] && [[ $f == "$sysconfdir/puzzled/"* ]]; then continue; fi
    rm -f "$destdir$f"
  done
  rm -f "$manifest"
  # --purge: the product's whole configuration directory, also files an earlier install left in place
  if [ -n "$purge" ]; then case $sysconfdir/puzzled in /*/puzzled) rm -rf -- "$destdir$sysconfdir/puzzled" ;; esac; fi
  case $libdir in */lib/puzzlepod) rm -rf -- "$destdir$libdir" ;; esac  # jars, launchers, AOT caches
  for d in "$destdir$prefix/libexec/puzzlepod" "$destdir$prefix/share/puzzlepod" \
           "$destdir$sysconfdir/puzzled/profiles" "$destdir$sysconfdir/puzzled/policies" "$destdir$sysconfdir/puzzled"; do
    [ -d "$d" ] && find "$d" -depth -type d -empty -delete 2>/dev/null || true
  done
  echo "PuzzlePod removed from $destdir$prefix${purge:+ (and its configuration in $sysconfdir/puzzled)}"
  exit 0
fi

# module → the commands it provides
tools=(
  "daemon puzzled"
  "daemon puzzle-branch"
  "rego puzzle-rego"
  "ctl puzzlectl"
  "podman-wrapper puzzle-podman"
  "oci-hook puzzle-hook"
)

: > "${manifest_tmp:=$(mktemp)}"
trap 'rm -f "$manifest_tmp"' EXIT
put() {  # mode source destination (destination without destdir)
  install -D -m "$1" "$2" "$destdir$3"
  echo "$3" >> "$manifest_tmp"
}
link() {  # target linkname (linkname without destdir)
  mkdir -p "$(dirname "$destdir$2")"
  ln -sfn "$1" "$destdir$2"
  echo "$2" >> "$manifest_tmp"
}

# Jars: each module's jar, its dependencies next to it, and a class path naming the installed files.
for m in $(printf '%s\n' "${tools[@]}" | cut -d' ' -f1 | sort -u); do
  target=$repo/$m/target
  jar=
  for j in "$target"/puzzlepod-"$m"-*.jar; do [[ $j == *-sources.jar ]] || { jar=$j; break; }; done
  if [ -z "$jar" ] || [ ! -f "$jar" ] || [ ! -f "$target/classpath.txt" ]; then
    echo "install.sh: module $m is not built; run: mvn -DskipTests package   (in $repo)" >&2; exit 1
  fi
  put 0644 "$jar" "$libdir/$m/target/$(basename "$jar")"
  cp_installed=
  IFS=: read -r -a deps < "$target/classpath.txt" || true
  for d in "${deps[@]}"; do
    [ -n "$d" ] || continue
    if [ ! -f "$d" ]; then
      echo "install.sh: $m's class path names $d, which is not a jar (a partial or test-only build);" \
           "run: mvn -DskipTests package   (in $repo, all modules)" >&2; exit 1
    fi
    put 0644 "$d" "$libdir/$m/target/lib/$(basename "$d")"
    cp_installed+=${cp_installed:+:}$libdir/$m/target/lib/$(basename "$d")
  done
  printf '%s\n' "$cp_installed" > "$manifest_tmp.cp"
  put 0644 "$manifest_tmp.cp" "$libdir/$m/target/classpath.txt"
  rm -f "$manifest_tmp.cp"
done

# Launchers: the same scripts as in the checkout (they find MODULE/target next to bin/).
put 0755 "$repo/bin/lib/launch" "$libdir/bin/lib/launch"
for t in "${tools[@]}"; do
  read -r m tool <<<"$t"
  [ -f "$repo/bin/$tool" ] || { echo "install.sh: bin/$tool is missing in the checkout" >&2; exit 1; }
  put 0755 "$repo/bin/$tool" "$libdir/bin/$tool"
  if [ "$tool" = puzzle-hook ]; then
    link "$libdir/bin/$tool" "$prefix/libexec/puzzlepod/$tool"
  else
    link "$libdir/bin/$tool" "$prefix/bin/$tool"
  fi
done
put 0755 "$repo/bin/build-aot-caches" "$libdir/bin/build-aot-caches"

# The init shim every governed container starts with (bind-mounted read-only by the precreate hook).
[ -x "$repo/init-shim/target/puzzle-init" ] || { echo "install.sh: init-shim/target/puzzle-init is not built; run: mvn -DskipTests package   (in $repo)" >&2; exit 1; }
put 0755 "$repo/init-shim/target/puzzle-init" "$libdir/puzzle-init"

# Podman: hooks (their path names the installed hook, their environment the installed shim) and the drop-in.
# earlier versions also shipped createRuntime and poststop hooks; puzzled now attaches a container at runc's
# seccomp message and triggers governance at its exit, so remove what an earlier install left
retired_hooks='puzzlepod-createruntime.json puzzlepod-poststop.json'
for old in $retired_hooks; do rm -f "$destdir$prefix/share/containers/oci/hooks.d/$old"; done
for h in "$repo"/hooks.d/*.json; do
  [ -f "$h" ] || { echo "install.sh: no hook JSON in hooks.d/" >&2; exit 1; }
  sed -e "s#/usr/libexec/puzzlepod/puzzle-hook#$prefix/libexec/puzzlepod/puzzle-hook#g" \
      -e "s#\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"#\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\", \"PUZZLEPOD_SHIM=$libdir/puzzle-init\"#" "$h" > "$manifest_tmp.hook"
  put 0644 "$manifest_tmp.hook" "$prefix/share/containers/oci/hooks.d/$(basename "$h")"
  rm -f "$manifest_tmp.hook"
done
put 0644 "$repo/containers.conf.d/50-puzzlepod.conf" "$sysconfdir/containers/containers.conf.d/50-puzzlepod.conf"

# systemd: the daemon as a system service (system bus) and as a user service (session bus).
# Their ExecStart names the installed command.
for scope in system user; do
  sed "s#/usr/bin/puzzled#$prefix/bin/puzzled#g" "$repo/daemon/src/main/resources/systemd/$scope/puzzled.service" > "$manifest_tmp.unit"
  put 0644 "$manifest_tmp.unit" "$prefix/lib/systemd/$scope/puzzled.service"
  rm -f "$manifest_tmp.unit"
done
# Quadlet units for governed agents: examples to copy into /etc/containers/systemd/ (not active where installed).
for q in "$repo"/quadlets/*.container "$repo"/quadlets/*.timer "$repo"/quadlets/README.md; do
  put 0644 "$q" "$prefix/share/puzzlepod/quadlets/$(basename "$q")"
done

# D-Bus: who may own and call org.lobstertrap.PuzzlePod1 on the system bus.
put 0644 "$repo/daemon/src/main/resources/dbus/org.lobstertrap.PuzzlePod1.conf" "$sysconfdir/dbus-1/system.d/org.lobstertrap.PuzzlePod1.conf"
put 0644 "$repo/daemon/src/main/resources/dbus/org.lobstertrap.PuzzlePod1.Manager.xml" "$prefix/share/dbus-1/interfaces/org.lobstertrap.PuzzlePod1.Manager.xml"

# Data: pristine copies under share/, and the operator's copies under /etc only when absent.
for kind in profiles policies; do
  ext=yaml; [ $kind = policies ] && ext=rego
  for f in "$repo/$kind"/*.$ext; do
    put 0644 "$f" "$prefix/share/puzzlepod/$kind/$(basename "$f")"
    dest=$sysconfdir/puzzled/$kind/$(basename "$f")
    if [ ! -e "$destdir$dest" ]; then put 0644 "$f" "$dest"; fi
  done
done
put 0644 "$repo/daemon/src/main/resources/puzzled.example.yaml" "$prefix/share/puzzlepod/puzzled.example.yaml"
if [ ! -e "$destdir$sysconfdir/puzzled/puzzled.yaml" ]; then
  put 0644 "$repo/daemon/src/main/resources/puzzled.example.yaml" "$sysconfdir/puzzled/puzzled.yaml"
fi

# Shell completion and man pages (generated by the ctl build).
if [ -f "$repo/ctl/target/completion/puzzlectl" ]; then
  put 0644 "$repo/ctl/target/completion/puzzlectl" "$prefix/share/bash-completion/completions/puzzlectl"
fi
for man in "$repo"/ctl/target/man/*.1; do
  [ -f "$man" ] && put 0644 "$man" "$prefix/share/man/man1/$(basename "$man")"
done

# Keep entries of an earlier install that this one did not rewrite (e.g. /etc files kept as they were).
if [ -f "$manifest" ]; then
  grep -v -e '/hooks\.d/puzzlepod-createruntime\.json$' -e '/hooks\.d/puzzlepod-poststop\.json$' "$manifest" >> "$manifest_tmp" || true
fi
LC_ALL=C sort -u "$manifest_tmp" > "$manifest_tmp.sorted"
install -D -m 0644 "$manifest_tmp.sorted" "$manifest"
rm -f "$manifest_tmp.sorted"

if [ -n "$aot" ] && [ -z "$destdir" ]; then "$libdir/bin/build-aot-caches" >/dev/null 2>&1 || true; fi
echo "PuzzlePod installed under $destdir$prefix ($(wc -l < "$manifest") files; list in $libdir/MANIFEST)"
echo "next: reload the system bus (systemctl reload dbus, or kill -HUP the dbus-daemon), then start puzzled"
echo "      (systemctl daemon-reload && systemctl enable --now puzzled.service, where systemd runs the machine)"
