/**
 * The diff of an overlay branch: {@link org.lobstertrap.puzzlepod.daemon.diff.UpperDirDiff} turns a
 * branch's upper directory plus its base into a {@link org.lobstertrap.puzzlepod.core.changeset.Changeset}.
 *
 * <p>How a changeset is meant to be applied to the base (it is complete for that, with file content
 * taken from the upper directory at the same path):
 * <ol>
 *   <li>every Deleted entry, deepest first (reverse path order), so directories are empty when removed;</li>
 *   <li>then the other entries in path order. An entry whose {@code oldMode} type differs from its
 *       {@code mode} type replaces the base object (for a base directory, its content is among the
 *       Deleted entries). Added/Modified regular files take their bytes from the upper directory;
 *       directories are created or kept; MetadataChanged changes mode and owner only; Symlink, Fifo,
 *       CharDevice and BlockDevice are created from the entry; a Hardlink links to its
 *       {@code hardlinkOf}, which sorts before it and is itself in the changeset.</li>
 * </ol>
 * Times (mtime, atime) are not part of a change: a branch that only touched files has no changes.
 */
package org.lobstertrap.puzzlepod.daemon.diff;
