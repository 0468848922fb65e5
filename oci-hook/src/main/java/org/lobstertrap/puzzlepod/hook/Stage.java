package org.lobstertrap.puzzlepod.hook;

/** The OCI hook stages {@code puzzle-hook} serves, spelled as in the OCI runtime spec and hooks.d files. */
public enum Stage {
    /** podman, before the runtime: spec on stdin, the rewritten spec on stdout. */
    PRECREATE("precreate"),
    /** the runtime, after the namespaces exist and before pivot_root: state on stdin (with the init pid). */
    CREATE_RUNTIME("createRuntime"),
    /** podman, after the container stopped: state on stdin (no pid). */
    POSTSTOP("poststop");

    private final String ociName;

    Stage(String ociName) { this.ociName = ociName; }

    /** The name in the OCI spec, e.g. {@code createRuntime}. */
    public String ociName() { return ociName; }

    /** The stage for a command-line word; OCI spelling, case-insensitive. */
    public static Stage parse(String word) throws HookException {
        for (Stage s : values()) if (s.ociName.equalsIgnoreCase(word)) return s;
        throw new HookException(HookError.USAGE, "unknown stage " + Texts.quote(word)
                + " (expected precreate, createRuntime or poststop)");
    }
}
