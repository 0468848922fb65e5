package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;

import java.time.Instant;
import java.util.List;

/**
 * One run of the expiry sweep.
 *
 * @param at         the sweep's notion of now
 * @param rolledBack expired branches that were rolled back (their records after rollback)
 * @param spared     expired branches left alone because they are committing or review-pending
 * @param failures   expired branches whose rollback failed, with the reason
 */
public record ExpiryReport(Instant at, List<BranchMetadata> rolledBack, List<BranchMetadata> spared, List<String> failures) {
    public ExpiryReport {
        rolledBack = List.copyOf(rolledBack);
        spared = List.copyOf(spared);
        failures = List.copyOf(failures);
    }

    public boolean isEmpty() { return rolledBack.isEmpty() && spared.isEmpty() && failures.isEmpty(); }
}
