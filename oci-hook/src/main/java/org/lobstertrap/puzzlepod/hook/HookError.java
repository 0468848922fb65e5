package org.lobstertrap.puzzlepod.hook;

/**
 * Why {@code puzzle-hook} refused, with a stable code for programs and the process exit status podman
 * sees (any non-zero status aborts the container start).
 */
public enum HookError {
    /** Wrong command line (unknown stage). */
    USAGE("usage", 2),
    /** The runtime's input is not what a hook gets: not JSON, missing or malformed fields, bad annotation values. */
    BAD_INPUT("bad-input", 2),
    /** The container spec would let the agent write the base outside its branch, or names no workspace. */
    SPEC_REFUSED("spec-refused", 4),
    /** No daemon answered on the bus. */
    DAEMON_UNREACHABLE("daemon-unreachable", 3),
    /** The daemon answered with an error (unknown profile, access denied, branch in the wrong state, …). */
    DAEMON_REFUSED("daemon-refused", 5),
    /** A local I/O failure or a bug. */
    INTERNAL("internal", 1);

    private final String code;
    private final int exitStatus;

    HookError(String code, int exitStatus) {
        this.code = code;
        this.exitStatus = exitStatus;
    }

    /** The stable code, e.g. {@code spec-refused}. */
    public String code() { return code; }

    /** The process exit status for this error (never 0). */
    public int exitStatus() { return exitStatus; }
}
