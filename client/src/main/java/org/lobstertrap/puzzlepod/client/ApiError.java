package org.lobstertrap.puzzlepod.client;

/**
 * The error codes of the PuzzlePod1 API. On D-Bus each is the error name
 * {@code org.lobstertrap.PuzzlePod1.Error.<code>} (classes in {@link org.lobstertrap.PuzzlePod1.Error}).
 */
public enum ApiError {
    /** An argument is malformed, too long, or out of range. */
    InvalidArgument,
    /** No such branch / profile. */
    NotFound,
    /** The caller may not act on this branch or call this method. */
    AccessDenied,
    /** The branch's state does not allow the operation (e.g. approving a branch that is not review-pending). */
    InvalidState,
    /** Another branch committed or is committing overlapping paths of the same base. */
    Conflict,
    /** The daemon cannot serve the call now: too many branches, gate overloaded, no policy loaded. */
    Unavailable,
    /** A bug or an I/O failure in the daemon; the message says which. */
    Internal;

    public static final String PREFIX = "org.lobstertrap.PuzzlePod1.Error.";

    /** The D-Bus error name. */
    public String dbusName() { return PREFIX + name(); }

    /** The code for a D-Bus error name, or {@link #Internal} for a name of another service. */
    public static ApiError fromDbusName(String name) {
        if (name != null && name.startsWith(PREFIX)) {
            String code = name.substring(PREFIX.length());
            for (ApiError e : values()) if (e.name().equals(code)) return e;
        }
        return Internal;
    }
}
