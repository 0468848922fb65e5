package org.lobstertrap.puzzlepod.podman;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * The {@code podman run} command line of a governed run: the user's options untouched, then the branch
 * mount, the governance annotations, and the profile's limits and network mode where the user did not
 * give their own, then IMAGE and the command.
 */
final class PodmanCommandLine {
    private PodmanCommandLine() {}

    /**
     * @param podman        the podman executable (and any fixed leading arguments)
     * @param podmanVolume  the branch's {@code podman_volume} ({@code BASE:WS:O,upperdir=…,workdir=…}), or null when the
     *                      precreate hook mounts the branch from the base annotation (rootless podman)
     * @param profile       the resolved profile JSON ({@code ShowProfile}), or null to add no limits
     * @param runtimeDir    the daemon's runtime dir the hook should use, or null for its default
     * @param direct        the containment asked of podman directly (no precreate hook runs), or null for the hook's
     */
    static List<String> build(List<String> podman, RunArguments a, String branchId, String podmanVolume, Path base,
                              JsonValue profile, String runtimeDir, DirectContainment direct) {
        List<String> cmd = new ArrayList<>(podman);
        cmd.add("run");
        List<String> user = a.podmanOptions();
        boolean dashDash = a.endsWithDoubleDash();
        cmd.addAll(dashDash ? user.subList(0, user.size() - 1) : user);
        if (podmanVolume != null) cmd.add("--volume=" + podmanVolume);
        if (direct != null) cmd.addAll(direct.podmanOptions());
        // the profile annotation selects the precreate hook: only for the runs it contains
        else cmd.add("--annotation=" + Annotations.PROFILE + "=" + a.profile());
        cmd.add("--annotation=" + Annotations.BRANCH + "=" + branchId);
        cmd.add("--annotation=" + Annotations.BASE + "=" + base);
        cmd.add("--annotation=" + Annotations.WORKSPACE + "=" + a.workspace());
        if (runtimeDir != null) cmd.add("--annotation=" + Annotations.RUNTIME_DIR + "=" + runtimeDir);
        // the wrapper triggers governance itself, with the exit code, unless it returns at once (-d)
        if (!a.detached()) cmd.add("--annotation=" + Annotations.TRIGGER + "=" + Annotations.TRIGGER_WRAPPER);
        if (profile != null) {
            JsonValue rl = profile.path("resource_limits");
            long memory = rl.path("memory_bytes").asLong(), pids = rl.path("max_pids").asLong(), shares = rl.path("cpu_shares").asLong();
            if (memory > 0 && !a.has("memory")) cmd.add("--memory=" + memory);
            if (pids > 0 && !a.has("pids-limit")) cmd.add("--pids-limit=" + pids);
            if (shares > 0 && !a.has("cpu-shares")) cmd.add("--cpu-shares=" + shares);
            // Gated and Monitored need the product's proxy; they are left to it (see the README).
            if ("Blocked".equals(profile.path("network").path("mode").asText()) && !a.has("network")) cmd.add("--network=none");
        }
        if (dashDash) cmd.add("--");
        cmd.add(a.image());
        cmd.addAll(a.command());
        return cmd;
    }
}
