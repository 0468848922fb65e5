package org.lobstertrap.puzzlepod.client.seccomp;

/**
 * A seccomp profile cannot be made into a governed container's: {@link #problem()} says whether the
 * profile is malformed or well-formed but incompatible with the containment.
 */
public final class SeccompProfileException extends Exception {
    /** Why the profile was not transformed. */
    public enum Problem {
        /** The profile is not of the expected shape (a rule without names, a non-object rule). */
        MALFORMED,
        /** The profile is well-formed but cannot carry the containment (no profile, a listener of its own, a conflicting action). */
        REFUSED
    }

    private final Problem problem;

    public SeccompProfileException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** Malformed or refused. */
    public Problem problem() { return problem; }
}
