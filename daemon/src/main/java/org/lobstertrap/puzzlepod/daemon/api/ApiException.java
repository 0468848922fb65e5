package org.lobstertrap.puzzlepod.daemon.api;

import java.util.Objects;
import org.lobstertrap.puzzlepod.client.ApiError;

/** A call failed; the code becomes the D-Bus error name, the message is for people and never holds secrets. */
public final class ApiException extends RuntimeException {
    private final ApiError code;

    public ApiException(ApiError code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ApiException(ApiError code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ApiError code() { return code; }

    public static ApiException invalid(String message) { return new ApiException(ApiError.InvalidArgument, message); }

    public static ApiException notFound(String message) { return new ApiException(ApiError.NotFound, message); }

    public static ApiException denied(String message) { return new ApiException(ApiError.AccessDenied, message); }

    public static ApiException state(String message) { return new ApiException(ApiError.InvalidState, message); }
}
