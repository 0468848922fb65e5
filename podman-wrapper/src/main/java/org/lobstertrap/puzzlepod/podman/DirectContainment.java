package org.lobstertrap.puzzlepod.podman;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The containment of a governed run asked of podman directly, so that no precreate hook runs: the branch
 * as podman's own overlay volume ({@code podman_volume}), the daemon's per-branch seccomp profile (the
 * supervisor's notifications, its listener and the kernel-side denials) with
 * {@code --security-opt seccomp=FILE}, and puzzle-init as podman's init ({@code --init --init-path=SHIM},
 * which podman starts as {@code /run/podman-init -- COMMAND…}) with the branch's Landlock rules bound
 * read-only at its default place. The profile annotation, which selects the hook, is then not set.
 *
 * <p>{@link #of} gives null, and the run goes through the precreate hook as before, whenever this cannot
 * express the run: no {@code podman_volume} (rootless podman: the hook mounts the branch in the container's
 * user namespace), no profile or rules file from the daemon, no shim at the shim path, or the user's own
 * {@code --security-opt seccomp=…}, {@code --seccomp-policy}, {@code --init}/{@code --init-path},
 * {@code --rootfs}, {@code --volumes-from}, or a mount at {@link #DIR} or {@link #PODMAN_INIT} (the hook
 * checks or refuses those).
 *
 * @param seccompProfile the branch's podman seccomp profile (host path)
 * @param shim           the puzzle-init binary (host path)
 * @param shimRules      the branch's Landlock rules file (host path)
 */
record DirectContainment(String seccompProfile, String shim, String shimRules) {
    /** The environment variable naming the shim's host path; the precreate hook reads the same. */
    static final String SHIM_VARIABLE = "PUZZLEPOD_SHIM";
    /** The shim's host path when {@link #SHIM_VARIABLE} is not set (where install.sh puts it). */
    static final String DEFAULT_SHIM = "/usr/lib/puzzlepod/puzzle-init";
    /** The container directory of the rules file (the shim's default {@code /.puzzlepod/rules}). */
    static final String DIR = "/.puzzlepod";
    /** Where podman binds its init. */
    static final String PODMAN_INIT = "/run/podman-init";
    /** User options after which the hook must see the spec. */
    private static final List<String> HOOK_ONLY = List.of("seccomp-policy", "init", "init-path", "rootfs", "volumes-from");

    /** The direct containment for this run, or null for the precreate hook's. */
    static DirectContainment of(RunArguments a, JsonValue branch, String podmanVolume, Map<String, String> env) {
        if (podmanVolume == null) return null;
        String profile = Json.text(branch, "seccomp_profile", null), rules = Json.text(branch, "shim_rules", null);
        if (profile == null || rules == null || !profile.startsWith("/") || !rules.startsWith("/")) return null;
        String shim = env.getOrDefault(SHIM_VARIABLE, "");
        if (shim.isEmpty()) shim = DEFAULT_SHIM;
        Path s = Path.of(shim);
        if (!s.isAbsolute() || !Files.isRegularFile(s) || !Files.isExecutable(s)) return null;
        for (PodmanFlag f : a.flags()) {
            if (HOOK_ONLY.contains(f.name())) return null;
            String v = f.value() == null ? "" : f.value();
            switch (f.name()) {
                case "security-opt" -> { if (v.startsWith("seccomp")) return null; }
                case "volume", "mount", "tmpfs" -> { if (v.contains(DIR) || v.contains(PODMAN_INIT)) return null; }
                default -> { }
            }
        }
        return new DirectContainment(profile, shim, rules);
    }

    /** The {@code podman run} options that apply it (the branch volume itself is added by the caller). */
    List<String> podmanOptions() {
        return List.of("--security-opt=seccomp=" + seccompProfile, "--init", "--init-path=" + shim,
                "--volume=" + shimRules + ":" + DIR + "/rules:ro,nosuid,nodev,rprivate");
    }
}
