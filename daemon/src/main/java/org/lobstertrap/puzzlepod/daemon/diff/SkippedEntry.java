package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/**
 * An upper-directory entry that no changeset can carry (a Unix socket), left out with the reason.
 * If the base had something at that path it is reported Deleted: the branch's view no longer has it.
 */
public record SkippedEntry(RelPath path, String reason) {}
