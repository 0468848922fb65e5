package org.lobstertrap.puzzlepod.daemon.gate;

/**
 * The gate could not get a verdict: no policy is loaded, it did not compile, or its evaluation failed
 * (error, deadline, step budget). {@link #code()} is stable for programs; the gate fails closed on it.
 */
public final class PolicyUnavailable extends Exception {
    /** No policy loaded (none in the directory, or the first load failed). */
    public static final String NO_POLICY = "no-policy";
    /** Evaluation failed, ran past its deadline or exhausted its step budget. */
    public static final String EVAL_FAILED = "eval-failed";
    /** The decision document did not have the expected shape. */
    public static final String BAD_DECISION = "bad-decision";

    private final String code;

    public PolicyUnavailable(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() { return code; }
}
