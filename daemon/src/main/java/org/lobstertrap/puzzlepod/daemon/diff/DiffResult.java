package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.changeset.Changeset;

import java.util.List;

/**
 * The changeset of a branch plus the entries the diff had to leave out (with the reason).
 *
 * @param contentHashed false when the diff stopped short of hashing because the changeset certainly writes
 *                      more than its hash budget: checksums may be missing, copy-ups of the base file's size
 *                      are left out, and {@code changeset().totalBytes()} is a lower bound (see
 *                      {@link UpperDirDiff#diff(byte[], byte[], OverlayFlavor, long)}). Such a changeset
 *                      can be judged and refused, never committed.
 */
public record DiffResult(Changeset changeset, List<SkippedEntry> skipped, boolean contentHashed) {
    public DiffResult { skipped = List.copyOf(skipped); }

    /** A complete, hashed diff. */
    public DiffResult(Changeset changeset, List<SkippedEntry> skipped) { this(changeset, skipped, true); }
}
