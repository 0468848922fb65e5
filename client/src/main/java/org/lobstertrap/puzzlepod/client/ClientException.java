package org.lobstertrap.puzzlepod.client;

/**
 * A call to puzzled failed. {@link #code()} is the daemon's error code, or {@link ApiError#Unavailable}
 * when the daemon could not be reached at all ({@link #unreachable()}).
 */
public final class ClientException extends Exception {
    private final ApiError code;
    private final boolean unreachable;

    public ClientException(ApiError code, String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.unreachable = unreachable;
    }

    public ApiError code() { return code; }

    /** True when no daemon answered (not on the bus, bus down, connection lost). */
    public boolean unreachable() { return unreachable; }
}
