package org.lobstertrap.puzzlepod.client;

/**
 * The container annotations through which a container asks to be governed. {@link #PROFILE} is what
 * selects the product's OCI hooks (hooks.d {@code when.annotations}); the others refine it. The wrapper
 * sets them on the containers it starts; a plain {@code podman run --annotation …} or a Quadlet
 * {@code Annotation=} line sets them by hand.
 */
public final class Annotations {
    private Annotations() {}

    public static final String PREFIX = "org.lobstertrap.puzzlepod.";

    /** The profile to govern the container under, e.g. {@code standard}. Selects the hooks. */
    public static final String PROFILE = PREFIX + "profile";

    /** The host directory the agent works on (the branch's base). Default: the source of the workspace bind mount. */
    public static final String BASE = PREFIX + "base";

    /** The container path of the workspace (default {@code /workspace}). */
    public static final String WORKSPACE = PREFIX + "workspace";

    /** A branch the wrapper already created; the precreate hook reuses it instead of creating one. */
    public static final String BRANCH = PREFIX + "branch";

    /** What happens when the container stops: {@code commit} (run the gate; default), {@code rollback}, {@code hold}. */
    public static final String ON_EXIT = PREFIX + "on-exit";

    /**
     * No longer read by anything: the hooks reach puzzled over its hook socket, not D-Bus (see
     * {@link #RUNTIME_DIR}). Kept so that containers and Quadlet units that still set it keep working.
     */
    @Deprecated
    public static final String BUS = PREFIX + "bus";

    /**
     * The runtime directory of the daemon the precreate hook talks to (its hook socket {@code hook.sock} is
     * in it), when not the default for the hook's uid ({@code /run/puzzled} for root, {@code /run/user/U/puzzled}
     * for a rootless user U). {@code puzzle-podman run} sets it when its own daemon is elsewhere.
     */
    public static final String RUNTIME_DIR = PREFIX + "runtime-dir";

    /**
     * Who tells puzzled that the container stopped. {@link #TRIGGER_WRAPPER}: {@code puzzle-podman} waits for
     * the container and calls {@code TriggerGovernance} itself, with the real exit code. Absent: puzzled
     * triggers when the container's init exits (it watches it from the moment it attached the container),
     * with the exit status from podman's events.
     */
    public static final String TRIGGER = PREFIX + "trigger";

    /** The value of {@link #TRIGGER} set by {@code puzzle-podman run} when it waits for the container. */
    public static final String TRIGGER_WRAPPER = "wrapper";

    /** The default workspace path. */
    public static final String DEFAULT_WORKSPACE = "/workspace";
}
