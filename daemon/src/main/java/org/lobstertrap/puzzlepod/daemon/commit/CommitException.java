package org.lobstertrap.puzzlepod.daemon.commit;

import java.io.IOException;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * A commit or recovery that did not happen, with a message for a person and a {@link CommitError}
 * (plus the errno of an underlying system call, if any) for a program.
 *
 * <p>{@link #baseModified()} tells whether the base may differ from the pre-commit tree: false for
 * every refusal during planning and staging; true only when the failure happened after the journal
 * record PREPARED was durable, in which case {@link ChangesetCommitter#recover} completes the commit.
 */
public final class CommitException extends IOException {
    private final CommitError error;
    private final int errno;
    private final boolean baseModified;

    public CommitException(CommitError error, String message) {
        this(error, message, null, false);
    }

    public CommitException(CommitError error, String message, Throwable cause, boolean baseModified) {
        super(error + ": " + message, cause);
        this.error = error;
        this.errno = cause instanceof LinuxException le ? le.errno() : 0;
        this.baseModified = baseModified;
    }

    /** The stable reason code. */
    public CommitError error() { return error; }

    /** The errno of the failed system call behind this error, or 0. */
    public int errno() { return errno; }

    /** True when the base may be between pre- and post-image until recovery runs. */
    public boolean baseModified() { return baseModified; }
}
