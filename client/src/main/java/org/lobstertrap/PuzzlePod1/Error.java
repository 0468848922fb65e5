package org.lobstertrap.PuzzlePod1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.lobstertrap.puzzlepod.client.ApiError;

/**
 * The D-Bus errors of puzzled. dbus-java names an error after its exception class ({@code $} becomes
 * {@code .}), so this package and class spell exactly {@code org.lobstertrap.PuzzlePod1.Error.<Code>};
 * a client with this class on its class path gets these types back, any other client the names.
 */
public final class Error {
    private Error() {}

    /** The exception for a code, to throw from an exported method. */
    public static DBusExecutionException of(ApiError code, String message) {
        return switch (code) {
            case InvalidArgument -> new InvalidArgument(message);
            case NotFound -> new NotFound(message);
            case AccessDenied -> new AccessDenied(message);
            case InvalidState -> new InvalidState(message);
            case Conflict -> new Conflict(message);
            case Unavailable -> new Unavailable(message);
            case Internal -> new Internal(message);
        };
    }

    public static final class InvalidArgument extends DBusExecutionException { public InvalidArgument(String m) { super(m); } }
    public static final class NotFound extends DBusExecutionException { public NotFound(String m) { super(m); } }
    public static final class AccessDenied extends DBusExecutionException { public AccessDenied(String m) { super(m); } }
    public static final class InvalidState extends DBusExecutionException { public InvalidState(String m) { super(m); } }
    public static final class Conflict extends DBusExecutionException { public Conflict(String m) { super(m); } }
    public static final class Unavailable extends DBusExecutionException { public Unavailable(String m) { super(m); } }
    public static final class Internal extends DBusExecutionException { public Internal(String m) { super(m); } }
}
