package org.lobstertrap.puzzlepod.podman;

/**
 * The exit codes of {@code puzzle-podman}, documented in its help and README. A committed run exits with
 * the container's own exit code; every other outcome has a code of its own, chosen above the range
 * containers and podman use for themselves (podman: 125–127, signals: 128+n) and in the BSD
 * {@code sysexits} region.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** The wrapper itself failed (a bug, or the daemon answered something it cannot read). */
    public static final int INTERNAL = 1;
    /** Bad command line or a refused podman option; nothing started, no branch. */
    public static final int USAGE = 2;
    /** The policy rejected the changeset; the branch was rolled back. */
    public static final int REJECTED = 70;
    /** The branch was rolled back without a policy verdict (--auto-rollback, failed agent, a person said no). */
    public static final int ROLLED_BACK = 71;
    /** Another branch of the same base committed overlapping paths first; the branch is kept for inspection. */
    public static final int CONFLICT = 72;
    /** The changeset waits for a person (review), or is held undecided. */
    public static final int REVIEW_PENDING = 73;
    /** puzzled could not be reached; when this happens before the run, the container never started. */
    public static final int UNREACHABLE = 74;
    /** puzzled answered with an error, or its gate could not decide. */
    public static final int DAEMON_ERROR = 75;
    /** podman could not be executed at all. */
    public static final int NO_PODMAN = 127;
}
