package org.lobstertrap.puzzlepod.ctl;

import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.ClientException;

/**
 * The exit codes of {@code puzzlectl}, listed in its help and in {@code ctl/README.md}. Scripts branch on
 * them, so each number keeps its meaning.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The daemon answered "no": a changeset rejected, a profile invalid, the audit chain broken, a commit or approve that did not commit. */
    public static final int REJECTED = 1;
    /** Bad usage: unknown option, malformed argument, unreadable input file, or an argument the daemon refused. */
    public static final int USAGE = 2;
    /** puzzled is not reachable: no bus, or nobody owns the name on it. */
    public static final int UNREACHABLE = 3;
    /** No such branch or profile. */
    public static final int NOT_FOUND = 4;
    /** The caller may not do this. */
    public static final int ACCESS_DENIED = 5;
    /** The branch's state does not allow it, or another branch committed overlapping paths. */
    public static final int CONFLICT = 6;
    /** Any other daemon error (unavailable, internal, an answer that is not JSON). */
    public static final int DAEMON_ERROR = 7;

    /** The exit code for a failed call. */
    public static int of(ClientException e) {
        if (e.unreachable()) return UNREACHABLE;
        return of(e.code());
    }

    /** The exit code for a daemon error code. */
    public static int of(ApiError code) {
        return switch (code) {
            case InvalidArgument -> USAGE;
            case NotFound -> NOT_FOUND;
            case AccessDenied -> ACCESS_DENIED;
            case InvalidState, Conflict -> CONFLICT;
            case Unavailable, Internal -> DAEMON_ERROR;
        };
    }
}
