package org.lobstertrap.puzzlepod.daemon.commit;

/** Why a commit or a recovery failed; the constant name is the stable code for programs. */
public enum CommitError {
    /** The base directory does not exist or is not a directory. */
    BASE_MISSING,
    /** The upper directory is missing, or an object in it does not match the changeset. */
    UPPER_MISMATCH,
    /** A change would write outside the base (symlinked parent, reserved name). Nothing was modified. */
    PATH_ESCAPES,
    /** The base changed since the branch was made. Nothing was modified. */
    CONFLICT,
    /** The changeset contradicts itself (e.g. a child of a deleted directory, a dangling hardlink). */
    INVALID_CHANGESET,
    /** A journal from an earlier, interrupted commit is present: run recovery first. */
    RECOVERY_PENDING,
    /** The base's file system ran out of space or inodes while staging. Nothing was modified. */
    NO_SPACE,
    /** The journal on disk cannot be read. Recovery refuses to guess. */
    JOURNAL_CORRUPT,
    /**
     * The changeset gives an object an owner this process cannot set (a per-user puzzled can only keep its own
     * uid and groups). Nothing was modified.
     */
    OWNERSHIP,
    /** Any other system-call failure; see the cause. */
    IO
}
