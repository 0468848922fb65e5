package org.lobstertrap.puzzlepod.daemon.seccomp;

/** runc's seccomp-agent message was refused; {@link #code()} says why for programs. */
public final class SeccompMessageException extends Exception {
    /** Stable refusal codes. */
    public enum Code { BAD_JSON, NO_FD, TOO_MANY_FDS, TOO_LARGE, MISSING_FIELD, TIMEOUT,
        /** The governance service did not admit the container (unknown branch, not the owner, network rules failed). */
        NOT_ADMITTED }

    private final Code code;

    public SeccompMessageException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() { return code; }
}
