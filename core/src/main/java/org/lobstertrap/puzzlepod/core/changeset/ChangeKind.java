package org.lobstertrap.puzzlepod.core.changeset;

/**
 * What happened to one path, relative to the base. The constant names are the wire spelling used in
 * policy input, JSON results and audit records (as in the PuzzlePod documents).
 */
public enum ChangeKind {
    /** A regular file or directory that the base does not have. */
    Added,
    /** A regular file whose content differs from the base's. */
    Modified,
    /** A path the base has and the branch removed (whiteout, or hidden by an opaque directory). */
    Deleted,
    /** Same content (or a directory), different mode or ownership. */
    MetadataChanged,
    /** A symbolic link created or changed. */
    Symlink,
    /** A second name for a file that the changeset already holds under another path. */
    Hardlink,
    BlockDevice,
    CharDevice,
    Fifo
}
