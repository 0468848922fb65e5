package org.lobstertrap.puzzlepod.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The governance daemon's settings, validated: every path absolute, every number and duration in range.
 * Build one with {@link DaemonConfigLoader} (from YAML) or {@link #defaults(int, Map)}.
 *
 * @param branchRoot     where branch directories (upper, work, metadata) live
 * @param profilesDir    agent profiles
 * @param policiesDir    Rego policies
 * @param runtimeDir     sockets, pid file and other state that dies with the machine
 * @param auditDir       the audit log (its key file {@code audit.key} sits beside it)
 * @param bus            which D-Bus bus to serve on
 * @param maxBranches    most branches alive at once
 * @param commitTimeout  longest a commit may take before it is abandoned and rolled back
 * @param review         human review of changesets
 * @param branchLifetime age at which an idle branch is rolled back
 * @param evalDeadline   wall-clock limit of one policy evaluation
 * @param evalStepBudget step limit of one policy evaluation
 * @param network        ports of the Gated proxy and DNS filter
 */
public record DaemonConfig(Path branchRoot, Path profilesDir, Path policiesDir, Path runtimeDir, Path auditDir,
                           BusKind bus, int maxBranches, Duration commitTimeout, ReviewConfig review,
                           Duration branchLifetime, Duration evalDeadline, long evalStepBudget, NetworkConfig network) {

    /** Allowed ranges, inclusive (also quoted by the validation messages and the example file). */
    public static final int MIN_BRANCHES = 1, MAX_BRANCHES = 4096;
    public static final Duration MIN_COMMIT_TIMEOUT = Duration.ofSeconds(1), MAX_COMMIT_TIMEOUT = Duration.ofHours(1);
    public static final Duration MIN_REVIEW_TIMEOUT = Duration.ofSeconds(1), MAX_REVIEW_TIMEOUT = Duration.ofDays(7);
    public static final Duration MIN_BRANCH_LIFETIME = Duration.ofMinutes(1), MAX_BRANCH_LIFETIME = Duration.ofDays(30);
    public static final Duration MIN_EVAL_DEADLINE = Duration.ofMillis(10), MAX_EVAL_DEADLINE = Duration.ofMinutes(5);
    public static final long MIN_EVAL_STEPS = 1_000, MAX_EVAL_STEPS = 10_000_000_000L;

    /**
     * The defaults for a daemon running as uid: root gets system locations and the system bus; any other
     * user gets XDG base directories from env (falling back to {@code $HOME/.config}, {@code $HOME/.local/share},
     * {@code /run/user/<uid>}) and the session bus.
     *
     * @throws ConfigException when a non-root default needs {@code HOME} and env has no usable one
     */
    public static DaemonConfig defaults(int uid, Map<String, String> env) throws ConfigException {
        Path config, data, runtime;
        BusKind bus;
        if (uid == 0) {
            config = Path.of("/etc/puzzled");
            data = Path.of("/var/lib/puzzled");
            runtime = Path.of("/run/puzzled");
            bus = BusKind.SYSTEM;
        } else {
            config = xdg(env, "XDG_CONFIG_HOME", ".config").resolve("puzzled");
            data = xdg(env, "XDG_DATA_HOME", ".local/share").resolve("puzzled");
            String rt = env.get("XDG_RUNTIME_DIR");
            runtime = (rt != null && rt.startsWith("/") ? Path.of(rt) : Path.of("/run/user/" + uid)).resolve("puzzled");
            bus = BusKind.SESSION;
        }
        return new DaemonConfig(data.resolve("branches"), config.resolve("profiles"), config.resolve("policies"),
                runtime, data.resolve("audit"), bus, 64, Duration.ofMinutes(5),
                new ReviewConfig(false, Duration.ofHours(1)), Duration.ofHours(24), Duration.ofSeconds(5), 10_000_000,
                NetworkConfig.DEFAULT);
    }

    /** Where the daemon looks for its configuration file by default: {@code /etc/puzzled/puzzled.yaml} or the XDG equivalent. */
    public static Path defaultFile(int uid, Map<String, String> env) throws ConfigException {
        return uid == 0 ? Path.of("/etc/puzzled/puzzled.yaml")
                : xdg(env, "XDG_CONFIG_HOME", ".config").resolve("puzzled").resolve("puzzled.yaml");
    }

    // The XDG spec says relative values are invalid and must be ignored.
    private static Path xdg(Map<String, String> env, String var, String underHome) throws ConfigException {
        String v = env.get(var);
        if (v != null && v.startsWith("/")) return Path.of(v);
        String home = env.get("HOME");
        if (home == null || !home.startsWith("/")) {
            throw new ConfigException(ConfigException.Code.BAD_VALUE, null,
                    "cannot choose default directories: neither " + var + " nor HOME is set to an absolute path", null);
        }
        return Path.of(home).resolve(underHome);
    }
}
