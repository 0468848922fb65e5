package org.lobstertrap.puzzlepod.hook;

import java.util.Objects;

/** A hook stage refused or failed; the message is for a person, {@link #error()} for a program. */
public final class HookException extends Exception {
    private final HookError error;

    public HookException(HookError error, String message) {
        this(error, message, null);
    }

    public HookException(HookError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public HookError error() { return error; }
}
