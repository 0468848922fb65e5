package org.lobstertrap.puzzlepod.core.changeset;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a changeset.
 *
 * @param path          workspace-relative path
 * @param kind          what happened
 * @param directory     true when the path is (Deleted: was) a directory
 * @param size          content bytes of a regular file (Added, Modified, Hardlink); 0 otherwise
 * @param mode          full {@code st_mode} (type + permission bits) of the new object; for Deleted the old one
 * @param uid           owner of the new object (Deleted: the old one)
 * @param gid           group of the new object (Deleted: the old one)
 * @param checksum      lowercase hex SHA-256 of the content of a regular file; null otherwise
 * @param symlinkTarget raw target bytes of a Symlink; null otherwise
 * @param hardlinkOf    for Hardlink: the path in this changeset that names the same inode; null otherwise
 * @param rdev          device number of a BlockDevice / CharDevice; 0 otherwise
 * @param oldMode       the base's {@code st_mode} for Modified / MetadataChanged / Deleted and for type
 *                      replacements; null when the base had nothing there
 */
public record Change(RelPath path, ChangeKind kind, boolean directory, long size, int mode, int uid, int gid,
                     String checksum, byte[] symlinkTarget, RelPath hardlinkOf, long rdev, Integer oldMode) {
    public Change {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (kind == ChangeKind.Symlink && symlinkTarget == null) throw new IllegalArgumentException("Symlink without target: " + path);
        if (kind == ChangeKind.Hardlink && hardlinkOf == null) throw new IllegalArgumentException("Hardlink without hardlinkOf: " + path);
    }

    /** Permission bits including setuid/setgid/sticky. */
    public int permissions() { return mode & 07777; }

    /** The symlink target for display; null when not a symlink. */
    public String symlinkTargetDisplay() { return symlinkTarget == null ? null : RelPath.escape(symlinkTarget); }

    @Override public boolean equals(Object o) {
        return o instanceof Change c && path.equals(c.path) && kind == c.kind && directory == c.directory
                && size == c.size && mode == c.mode && uid == c.uid && gid == c.gid
                && Objects.equals(checksum, c.checksum) && Arrays.equals(symlinkTarget, c.symlinkTarget)
                && Objects.equals(hardlinkOf, c.hardlinkOf) && rdev == c.rdev && Objects.equals(oldMode, c.oldMode);
    }

    @Override public int hashCode() { return Objects.hash(path, kind, size, mode, checksum); }

    @Override public String toString() { return kind + " " + path.display() + (directory ? "/" : ""); }
}
