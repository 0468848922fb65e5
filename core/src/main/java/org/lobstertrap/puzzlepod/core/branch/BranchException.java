package org.lobstertrap.puzzlepod.core.branch;

/**
 * A refused or failed branch operation. {@link #getMessage()} is for a person; {@link #code()} is a
 * stable identifier for a program (CLI exit codes, D-Bus error names, JSON error replies).
 */
public class BranchException extends RuntimeException {
    private final String code;

    public BranchException(String code, String message) {
        super(message);
        this.code = code;
    }

    public BranchException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable, lowercase, hyphenated code such as {@code "illegal-transition"}. */
    public String code() { return code; }
}
