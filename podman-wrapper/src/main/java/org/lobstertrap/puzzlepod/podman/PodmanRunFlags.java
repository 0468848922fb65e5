package org.lobstertrap.puzzlepod.podman;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The flags of {@code podman run} in podman 4.3, as its {@code --help} lists them: which take a value
 * and which are switches, and their one-letter forms. The wrapper needs this to find IMAGE among the
 * arguments it passes on (a value like {@code -e IMAGE} must not be mistaken for it). A test compares
 * the table with the installed podman's {@code --help}.
 */
public final class PodmanRunFlags {
    private PodmanRunFlags() {}

    /** Long names of the flags that take a value ({@code --name x} or {@code --name=x}). */
    public static final Set<String> WITH_VALUE = Set.of(
            "add-host", "annotation", "arch", "attach", "authfile", "blkio-weight", "blkio-weight-device",
            "cap-add", "cap-drop", "cgroup-conf", "cgroup-parent", "cgroupns", "cgroups", "chrootdirs", "cidfile",
            "conmon-pidfile", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus",
            "cpuset-cpus", "cpuset-mems", "detach-keys", "device", "device-cgroup-rule", "device-read-bps",
            "device-read-iops", "device-write-bps", "device-write-iops", "dns", "dns-option", "dns-search",
            "entrypoint", "env", "env-file", "env-merge", "expose", "gidmap", "group-add", "health-cmd",
            "health-interval", "health-on-failure", "health-retries", "health-start-period", "health-timeout",
            "hostname", "hostuser", "image-volume", "init-path", "ip", "ip6", "ipc", "label", "label-file",
            "log-driver", "log-opt", "mac-address", "memory", "memory-reservation", "memory-swap",
            "memory-swappiness", "mount", "name", "network", "network-alias", "oom-score-adj", "os",
            "passwd-entry", "personality", "pid", "pidfile", "pids-limit", "platform", "pod", "pod-id-file",
            "preserve-fds", "publish", "pull", "requires", "restart", "sdnotify", "seccomp-policy", "secret",
            "security-opt", "shm-size", "stop-signal", "stop-timeout", "subgidname", "subuidname", "sysctl",
            "systemd", "timeout", "tmpfs", "tz", "uidmap", "ulimit", "umask", "unsetenv", "user", "userns", "uts",
            "variant", "volume", "volumes-from", "workdir");

    /** Long names of the switches ({@code --rm}, or {@code --rm=false}; never a separate value). */
    public static final Set<String> SWITCHES = Set.of(
            "detach", "disable-content-trust", "env-host", "help", "http-proxy", "init", "interactive",
            "no-healthcheck", "no-hosts", "oom-kill-disable", "passwd", "privileged", "publish-all", "quiet",
            "read-only", "read-only-tmpfs", "replace", "rm", "rmi", "rootfs", "sig-proxy", "tls-verify", "tty",
            "unsetenv-all");

    /** One-letter forms → long names. Note {@code -h} is {@code --hostname}, as in podman. */
    public static final Map<Character, String> SHORT = Map.ofEntries(
            Map.entry('a', "attach"), Map.entry('c', "cpu-shares"), Map.entry('d', "detach"),
            Map.entry('e', "env"), Map.entry('h', "hostname"), Map.entry('i', "interactive"),
            Map.entry('l', "label"), Map.entry('m', "memory"), Map.entry('P', "publish-all"),
            Map.entry('p', "publish"), Map.entry('q', "quiet"), Map.entry('t', "tty"), Map.entry('u', "user"),
            Map.entry('v', "volume"), Map.entry('w', "workdir"));

    /** Whether the flag with this long name exists. */
    public static boolean known(String longName) {
        return WITH_VALUE.contains(longName) || SWITCHES.contains(longName);
    }

    /** Whether the flag with this long name takes a value. */
    public static boolean takesValue(String longName) { return WITH_VALUE.contains(longName); }

    /** The long name for a one-letter flag. */
    public static Optional<String> longName(char shortName) { return Optional.ofNullable(SHORT.get(shortName)); }

    /**
     * The table read from a {@code podman run --help} text: long name → (takes a value, one-letter form or
     * 0). An option line looks like {@code "  -e, --env stringArray   Set …"}; a switch has no type word.
     */
    public static Map<String, Entry> parseHelp(String help) {
        Map<String, Entry> out = new TreeMap<>();
        boolean inOptions = false;
        for (String line : help.split("\n")) {
            if (line.startsWith("Options:")) { inOptions = true; continue; }
            if (!inOptions) continue;
            var m = java.util.regex.Pattern.compile("^\\s+(?:-(\\w), )?--([\\w-]+)(?: (\\S+))?(?:\\s{2,}.*|\\s*)$").matcher(line);
            if (!m.matches()) continue;
            char s = m.group(1) == null ? 0 : m.group(1).charAt(0);
            out.put(m.group(2), new Entry(m.group(3) != null, s));
        }
        return out;
    }

    /** This class's table in the shape of {@link #parseHelp}. */
    public static Map<String, Entry> table() {
        Map<String, Entry> out = new TreeMap<>();
        Set<String> all = new TreeSet<>(WITH_VALUE);
        all.addAll(SWITCHES);
        for (String name : all) {
            char s = 0;
            for (var e : SHORT.entrySet()) if (e.getValue().equals(name)) s = e.getKey();
            out.put(name, new Entry(WITH_VALUE.contains(name), s));
        }
        return out;
    }

    /** One flag: whether it takes a value, and its one-letter form (0 for none). */
    public record Entry(boolean takesValue, char shortName) {}
}
