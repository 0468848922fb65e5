package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;

import java.util.List;

/**
 * What {@link BranchStore#recover()} found and did at start-up.
 *
 * @param loaded                 live branches whose metadata loaded fine (whatever their state)
 * @param degraded               active/frozen branches set to degraded: their container is no longer supervised
 * @param awaitingCommitRecovery branches found in committing; left untouched for the commit recovery
 *                               (write-ahead log) to finish or undo
 * @param corrupt                branches whose metadata could not be read, now failed with the reason
 * @param missingDirs            branches whose upper or work dir is missing, now failed
 * @param orphans                entries of the branch root without metadata, moved to the trash (never committed)
 * @param finishedRetirements    branches whose rollback or commit clean-up was interrupted and is now finished
 * @param trashDeleted           leftover trash entries, now being deleted
 * @param problems               anything else worth a person's attention (e.g. a corrupt record of a finished branch)
 */
public record RecoveryReport(List<BranchMetadata> loaded, List<BranchMetadata> degraded,
                             List<BranchMetadata> awaitingCommitRecovery, List<BranchMetadata> corrupt,
                             List<BranchMetadata> missingDirs, List<String> orphans, List<BranchId> finishedRetirements,
                             List<String> trashDeleted, List<String> problems) {
    public RecoveryReport {
        loaded = List.copyOf(loaded);
        degraded = List.copyOf(degraded);
        awaitingCommitRecovery = List.copyOf(awaitingCommitRecovery);
        corrupt = List.copyOf(corrupt);
        missingDirs = List.copyOf(missingDirs);
        orphans = List.copyOf(orphans);
        finishedRetirements = List.copyOf(finishedRetirements);
        trashDeleted = List.copyOf(trashDeleted);
        problems = List.copyOf(problems);
    }

    /** True when recovery found nothing to repair (committing branches still count as work to do). */
    public boolean isClean() {
        return degraded.isEmpty() && awaitingCommitRecovery.isEmpty() && corrupt.isEmpty() && missingDirs.isEmpty()
                && orphans.isEmpty() && finishedRetirements.isEmpty() && trashDeleted.isEmpty() && problems.isEmpty();
    }

    /** One line for logs and the CLI. */
    public String summary() {
        return "recovery: " + loaded.size() + " branches loaded, " + degraded.size() + " degraded, "
                + awaitingCommitRecovery.size() + " awaiting commit recovery, " + corrupt.size() + " corrupt, "
                + missingDirs.size() + " missing dirs, " + orphans.size() + " orphans to trash, "
                + finishedRetirements.size() + " interrupted rollbacks/commits finished, " + trashDeleted.size()
                + " trash entries deleted, " + problems.size() + " other problems";
    }
}
