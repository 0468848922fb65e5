package org.lobstertrap.puzzlepod.daemon.network;

/** {@code nft} (or {@code nsenter}) failed; the message carries its error output. */
public final class NftException extends Exception {
    private final int exitCode;
    private final String errorOutput;

    public NftException(String message, int exitCode, String errorOutput) {
        super(message + (errorOutput.isBlank() ? "" : ": " + errorOutput.strip()));
        this.exitCode = exitCode;
        this.errorOutput = errorOutput;
    }

    /** The tool's exit status, or -1 when it could not be run or timed out. */
    public int exitCode() { return exitCode; }

    /** What the tool wrote to standard error. */
    public String errorOutput() { return errorOutput; }
}
