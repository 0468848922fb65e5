package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/**
 * The diff of a branch could not be computed. No partial changeset exists when this is thrown.
 * {@link #code()} is stable for programs; {@link #path()} names the entry (null for a layer root);
 * {@link #errno()} is the system-call errno behind it, 0 when none.
 */
public final class DiffException extends Exception {
    /** Why the diff failed. */
    public enum Code {
        /** The upper directory does not exist or is not a directory. */
        UPPER_MISSING,
        /** The base (lower) directory does not exist or is not a directory. */
        BASE_MISSING,
        /** An entry disappeared or was replaced while the diff ran (the branch or base is not quiescent). */
        CHANGED_DURING_DIFF,
        /** An entry could not be read (permissions, I/O error). */
        UNREADABLE,
        /** A renamed directory ({@code overlay.redirect}): its content lives at another base path,
         *  which a changeset cannot express. */
        REDIRECT_UNSUPPORTED,
        /** A metadata-only copy-up ({@code overlay.metacopy}) whose data is not at the same base path. */
        METACOPY_UNSUPPORTED,
        /** A path found on disk is not representable (longer than 4095 bytes). */
        PATH_TOO_LONG,
        /** Any other system-call failure. */
        IO
    }

    private final Code code;
    private final transient RelPath path;
    private final int errno;

    public DiffException(Code code, RelPath path, String message, int errno, Throwable cause) {
        super(code + ": " + message + (path == null ? "" : " [" + path.display() + "]"), cause);
        this.code = code;
        this.path = path;
        this.errno = errno;
    }

    public DiffException(Code code, RelPath path, String message) { this(code, path, message, 0, null); }

    public Code code() { return code; }

    /** The workspace-relative path concerned, or null for a layer root. */
    public RelPath path() { return path; }

    /** The errno of the failed system call, 0 when the failure is not a system call's. */
    public int errno() { return errno; }
}
