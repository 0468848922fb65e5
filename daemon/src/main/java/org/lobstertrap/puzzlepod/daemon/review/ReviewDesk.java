package org.lobstertrap.puzzlepod.daemon.review;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.gate.ChangesetDigest;
import org.lobstertrap.puzzlepod.daemon.gate.ConflictChecker;
import org.lobstertrap.puzzlepod.daemon.gate.Decision;
import org.lobstertrap.puzzlepod.daemon.gate.Outcome;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Branches waiting for a person. {@link #approve} commits exactly the changeset that was reviewed: the
 * branch is diffed again and its digest must equal the recorded one (otherwise the branch fails with a
 * conflict and is kept for inspection); the conflict check runs again too. {@link #reject} rolls the branch
 * back. Each pending review has a timeout, counted from when it became pending (so a restart reschedules it
 * from the recorded time); when it fires, {@code onTimeout} is called, which rejects.
 */
public final class ReviewDesk implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReviewDesk.class.getName());

    private final BranchStore store;
    private final BranchCommitFlow flow;
    private final ConflictChecker conflicts;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<BranchId> onTimeout;
    private final ScheduledExecutorService timer;
    private final Map<BranchId, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    public ReviewDesk(BranchStore store, BranchCommitFlow flow, ConflictChecker conflicts, Duration timeout, Clock clock,
                      Consumer<BranchId> onTimeout) {
        this.store = store;
        this.flow = flow;
        this.conflicts = conflicts;
        this.timeout = timeout;
        this.clock = clock;
        this.onTimeout = onTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("review-timeouts").daemon(true).factory());
    }

    public Duration timeout() { return timeout; }

    /** Arms (or re-arms) the timeout of a review that became pending at {@code since}. */
    public void schedule(BranchId id, Instant since) {
        long delay = Math.max(0, Duration.between(clock.instant(), since.plus(timeout)).toMillis());
        ScheduledFuture<?> f = timer.schedule(() -> {
            timers.remove(id);
            try {
                onTimeout.accept(id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "review timeout of branch " + id + " failed: " + e.getMessage(), e);
            }
        }, delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = timers.put(id, f);
        if (old != null) old.cancel(false);
    }

    /** Disarms the timeout (the review was decided). */
    public void cancel(BranchId id) {
        ScheduledFuture<?> f = timers.remove(id);
        if (f != null) f.cancel(false);
    }

    public int pending() { return timers.size(); }

    /**
     * Commits a review-pending branch whose reviewed changeset had digest {@code reviewedDigest}; the
     * returned decision carries the verdict fields of {@code previous}. Throws BranchException
     * "invalid-state" when the branch is not review-pending or nothing was reviewed.
     */
    public Decision approve(BranchId id, String reviewedDigest, Decision previous, String comment) {
        long start = System.nanoTime();
        BranchMetadata m = store.get(id);
        if (m.state() != BranchState.REVIEW_PENDING)
            throw new BranchException("invalid-state", "branch " + id + " is " + m.state() + ", not review-pending");
        if (reviewedDigest == null)
            throw new BranchException("invalid-state", "branch " + id + " has no reviewed changeset (its diff failed);"
                    + " it can only be rejected or rolled back");
        cancel(id);
        store.transition(id, BranchState.COMMITTING, null);
        DiffResult diff;
        try {
            diff = flow.diff(id);
        } catch (BranchException e) {
            BranchMetadata after = store.transition(id, BranchState.FAILED, "approved, but the diff failed: " + e.getMessage());
            return decision(previous, Outcome.FAILED, null, e.getMessage(), after, start);
        }
        if (!ChangesetDigest.of(diff.changeset()).equals(reviewedDigest)) {
            String why = "the branch changed after it was reviewed; kept for inspection (diff it, then commit or roll back)";
            BranchMetadata after = store.transition(id, BranchState.FAILED, "conflict: " + why);
            return decision(previous, Outcome.CONFLICT, diff.changeset(), why, after, start);
        }
        ConflictChecker.Conflict c;
        try {
            c = conflicts.claim(m, diff.changeset());
        } catch (IOException e) {
            BranchMetadata after = store.transition(id, BranchState.FAILED, "conflict check failed: " + e.getMessage());
            return decision(previous, Outcome.FAILED, diff.changeset(), "conflict check failed: " + e.getMessage(), after, start);
        }
        if (c != null) {
            BranchMetadata after = store.transition(id, BranchState.FAILED, "conflict: " + c.reason());
            return decision(previous, Outcome.CONFLICT, diff.changeset(), c.reason(), after, start);
        }
        boolean committed = false;
        try {
            BranchCommitFlow.Committed done = flow.commitJudged(id, diff);
            committed = true;
            return decision(previous, Outcome.COMMITTED, diff.changeset(), comment == null || comment.isEmpty() ? null : comment,
                    done.branch(), start);
        } catch (BranchException e) {
            return decision(previous, Outcome.FAILED, diff.changeset(), e.getMessage(), store.get(id), start);
        } finally {
            conflicts.finish(m, committed, clock.instant()); // never leave a claim behind
        }
    }

    /** Rolls a review-pending branch back (rejected by a person, or timed out). */
    public Decision reject(BranchId id, Decision previous, String reason) {
        long start = System.nanoTime();
        BranchMetadata m = store.get(id);
        if (m.state() != BranchState.REVIEW_PENDING)
            throw new BranchException("invalid-state", "branch " + id + " is " + m.state() + ", not review-pending");
        cancel(id);
        BranchMetadata after = store.rollback(id);
        Decision d = decision(previous, Outcome.ROLLED_BACK, null, reason, after, start);
        return previous == null ? d : new Decision(d.branch(), d.outcome(), false, d.violations(), d.warnings(), previous.changes(),
                previous.files(), previous.bytes(), d.exitCode(), d.reason(), d.profile(), d.failMode(), d.policyDigest(), d.state(),
                d.decidedAt(), d.durationMs());
    }


    private Decision decision(Decision prev, Outcome outcome, Changeset cs, String reason, BranchMetadata after, long start) {
        long files = 0, bytes = 0, changes = 0;
        if (cs != null) {
            changes = cs.size();
            bytes = cs.totalBytes();
            for (Change ch : cs.changes()) if (!ch.directory()) files++;
        }
        boolean allow = outcome == Outcome.COMMITTED;
        return new Decision(after.id().value(), outcome, allow, prev == null ? List.of() : prev.violations(),
                prev == null ? List.of() : prev.warnings(), changes, files, bytes, prev == null ? null : prev.exitCode(), reason,
                after.profile(), prev == null ? null : prev.failMode(), prev == null ? null : prev.policyDigest(),
                after.state().wire(), clock.instant(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override public void close() {
        timer.shutdownNow();
    }
}
