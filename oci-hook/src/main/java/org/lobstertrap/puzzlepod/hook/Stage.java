package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;
/** The OCI hook stages {@code puzzle-hook} serves, spelled as in the OCI runtime spec and hooks.d files. */
public enum Stage {
    /** podman, before the runtime: spec on stdin, the rewritten spec on stdout. */
    PRECREATE("precreate"),
    /**
     * Retired: puzzled attaches a container when runc hands it to the seccomp listener. Accepted and does
     * nothing, so a hooks.d file left from an older install does not break container starts.
     */
    CREATE_RUNTIME("createRuntime"),
    /** Retired: puzzled triggers governance when the container's init exits. Accepted and does nothing. */
    POSTSTOP("poststop");

    private final String ociName;

    Stage(String ociName) { this.ociName = ociName; }

    /** The name in the OCI spec, e.g. {@code createRuntime}. */
    public String ociName() { return ociName; }

    /** The stage for a command-line word; OCI spelling, case-insensitive. */
    public static Stage parse(String word) throws HookException {
        for (Stage s : values()) if (s.ociName.equalsIgnoreCase(word)) return s;
        throw new HookException(HookError.USAGE, "unknown stage " + HostPaths.quote(word) + " (expected precreate)");
    }
}
