package org.lobstertrap.puzzlepod.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * The podman options a governed run refuses, because each would let the agent escape the branch or the
 * kernel's containment. Checked before anything is created; each refusal names the option and why.
 *
 * <ul>
 *   <li>{@code --privileged}, {@code --pid=host}, {@code --security-opt seccomp=unconfined}: containment off.
 *   <li>a bind mount ({@code -v}, {@code --volume}, {@code --mount}) whose host source is BASE, inside BASE,
 *       or a parent of BASE, read-only too: writes there would bypass the branch, and even a read-only view
 *       shows the live base instead of the branch (and an {@code :O} on it would be a second, ungoverned
 *       branch).
 *   <li>any mount (also {@code --tmpfs}) at the workspace path or inside it: it would hide part of the
 *       branch, so those writes would never reach the gate.
 *   <li>{@code --annotation} with the product's prefix: the wrapper sets those itself.
 * </ul>
 * {@code --userns=host} is allowed: for rootful podman it is the default anyway; containment comes from
 * Landlock, seccomp and the dropped capabilities, not from the user namespace.
 */
public final class RunRefusals {
    private RunRefusals() {}

    /** Throws the first refusal, or returns when the run may go ahead. {@code base} is the real (resolved) base. */
    public static void check(RunArguments a, Path base) throws UsageException {
        for (PodmanFlag f : a.flags()) {
            String v = f.value() == null ? "" : f.value();
            switch (f.name()) {
                case "privileged" -> {
                    if (f.on()) throw refuse("--privileged", "a privileged container is not contained (all capabilities, no seccomp, all devices)");
                }
                case "pid" -> {
                    if (v.equals("host")) throw refuse("--pid=host", "the agent would see and signal every process of the host");
                }
                case "security-opt" -> {
                    if (v.equals("seccomp=unconfined") || v.equals("seccomp:unconfined"))
                        throw refuse("--security-opt " + v, "the agent must run under the seccomp filter");
                }
                case "volume" -> checkVolume(v, a.workspace(), base);
                case "mount" -> checkMount(v, a.workspace(), base);
                case "tmpfs" -> checkTarget("--tmpfs " + v, v.split(":", 2)[0], a.workspace());
                case "annotation" -> {
                    if (v.startsWith(Annotations.PREFIX))
                        throw refuse("--annotation " + RunArgumentParser.clip(v), "puzzle-podman sets the " + Annotations.PREFIX + "* annotations itself");
                }
                default -> { }
            }
        }
    }

    private static void checkVolume(String v, String workspace, Path base) throws UsageException {
        String[] parts = v.split(":");
        String given = "-v " + RunArgumentParser.clip(v);
        if (parts.length >= 2) {
            checkSource(given, parts[0], base);
            checkTarget(given, parts[1], workspace);
        } else {
            checkTarget(given, parts[0], workspace);  // an anonymous volume at this container path
        }
    }

    private static void checkMount(String v, String workspace, Path base) throws UsageException {
        String given = "--mount " + RunArgumentParser.clip(v);
        for (String kv : v.split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 0) continue;
            String key = kv.substring(0, eq), value = kv.substring(eq + 1);
            switch (key) {
                case "source", "src" -> checkSource(given, value, base);
                case "target", "dst", "destination" -> checkTarget(given, value, workspace);
                default -> { }
            }
        }
    }

    /** A host path source (named volumes do not start with '/') must be unrelated to the base. */
    private static void checkSource(String given, String source, Path base) throws UsageException {
        if (!source.startsWith("/")) return;
        Path s = Path.of(source).normalize();
        try {
            if (Files.exists(s)) s = s.toRealPath();
        } catch (IOException e) {
            // unreadable: compare the path as written
        }
        if (s.equals(base)) throw refuse(given, "it mounts the base directory " + base + " itself, outside the branch");
        if (s.startsWith(base)) throw refuse(given, "it mounts " + s + ", inside the base " + base + ", outside the branch");
        if (base.startsWith(s)) throw refuse(given, "it mounts " + s + ", which contains the base " + base + ", outside the branch");
    }

    private static void checkTarget(String given, String target, String workspace) throws UsageException {
        if (!target.startsWith("/")) return;
        Path t = Path.of(target).normalize(), ws = Path.of(workspace).normalize();
        if (t.startsWith(ws))
            throw refuse(given, "it mounts over the workspace " + workspace + ", hiding part of the branch from governance");
    }

    private static UsageException refuse(String given, String why) {
        return new UsageException("refusing " + given + ": " + why);
    }
}
