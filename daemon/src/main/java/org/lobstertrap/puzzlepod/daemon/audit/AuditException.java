package org.lobstertrap.puzzlepod.daemon.audit;

import java.io.IOException;

/**
 * The audit log could not do what was asked. The message is for a person, {@link #code()} for a
 * program, and {@link #errno()} carries the kernel's errno when a system call failed (0 otherwise).
 */
public final class AuditException extends IOException {
    /** Stable error codes. */
    public enum Code {
        /** A system call on the log or key file failed (see {@link #errno()}). */
        IO,
        /** The key file is missing, has the wrong size or is readable by others. */
        BAD_KEY,
        /** The record cannot be written (bad type, float in data, too large). */
        BAD_RECORD,
        /** The log on disk is broken in a way the writer must not continue from. */
        CHAIN_BROKEN,
        /** The log was closed. */
        CLOSED
    }

    private final Code code;
    private final int errno;

    public AuditException(Code code, String message) {
        this(code, message, 0, null);
    }

    public AuditException(Code code, String message, int errno, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.errno = errno;
    }

    public Code code() { return code; }

    /** The errno of the failed system call, or 0. */
    public int errno() { return errno; }
}
