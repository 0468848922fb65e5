package org.lobstertrap.puzzlepod.ctl;

/**
 * A failure of {@code puzzlectl} itself (an unreadable input file, an answer it cannot read) with the exit
 * code it ends with. The message is printed after {@code puzzlectl: }.
 */
public final class CtlException extends RuntimeException {
    private final int exitCode;

    public CtlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CtlException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** One of {@link ExitCodes}. */
    public int exitCode() { return exitCode; }
}
