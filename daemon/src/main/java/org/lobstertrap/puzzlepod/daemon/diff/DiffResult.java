package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.changeset.Changeset;

import java.util.List;

/** The changeset of a branch plus the entries the diff had to leave out (with the reason). */
public record DiffResult(Changeset changeset, List<SkippedEntry> skipped) {
    public DiffResult { skipped = List.copyOf(skipped); }
}
