package org.lobstertrap.puzzlepod.daemon.gate;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.profile.FailMode;
import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.rego.EvalOptions;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The governance gate of one branch: quiesce the container → diff → policy input → Rego (deadline and
 * step budget) → conflict check → commit, review or rollback. Nothing is committed without an allowing
 * verdict. When no verdict can be had (no policy, compile or evaluation error, deadline, overload, I/O)
 * the outcome is {@code failed} and the profile's fail mode decides what happens to the branch:
 * closed/silent roll it back, operational holds it for review (the agent keeps running), safe-state
 * keeps it as it is (failed, the container stays frozen).
 *
 * <p>At most {@link Settings#maxConcurrent()} runs evaluate at once and at most
 * {@link Settings#maxQueued()} wait (each at most {@link Settings#queueWait()}); any more is an overload.
 */
public final class GovernanceGate {
    private static final System.Logger LOG = System.getLogger(GovernanceGate.class.getName());
    private static final Set<BranchState> GOVERNABLE = EnumSet.of(BranchState.READY, BranchState.ACTIVE, BranchState.FROZEN,
            BranchState.FAILED, BranchState.DEGRADED);

    /** Limits and switches of the gate. */
    public record Settings(Duration evalDeadline, long stepBudget, boolean reviewEnabled, int maxConcurrent, int maxQueued,
                           Duration queueWait) {
        public Settings {
            if (maxConcurrent < 1 || maxQueued < 0) throw new IllegalArgumentException("gate needs at least one slot");
        }
    }

    /**
     * One gate run.
     *
     * @param profile     the branch's resolved profile, or null when it is not loaded (the gate then fails closed)
     * @param profileName its name, for the decision
     * @param container   the attached container, or null
     * @param stopped     true when the container is known to have stopped (nothing to freeze)
     */
    public record Request(BranchId id, Profile profile, String profileName, String workspace, Integer exitCode,
                          ContainerRef container, boolean stopped) {}

    /** What a run decided, with the digest of the judged changeset (null when there was no diff). */
    public record Result(Decision decision, String changesetDigest) {}

    /** Called just before a branch goes review-pending, so the reviewed digest is on disk first. */
    @FunctionalInterface
    public interface ReviewRecorder {
        void pending(BranchId id, String changesetDigest, Instant since);
    }

    private final BranchStore store;
    private final BranchCommitFlow flow;
    private final PolicyStore policies;
    private final ConflictChecker conflicts;
    private final Quiescer quiescer;
    private final Settings settings;
    private final Clock clock;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong decisions = new AtomicLong();

    public GovernanceGate(BranchStore store, BranchCommitFlow flow, PolicyStore policies, ConflictChecker conflicts,
                          Quiescer quiescer, Settings settings, Clock clock) {
        this.store = store;
        this.flow = flow;
        this.policies = policies;
        this.conflicts = conflicts;
        this.quiescer = quiescer;
        this.settings = settings;
        this.clock = clock;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
    }

    /**
     * A gate without branches: only {@link #judge} works (TestPolicy-style evaluation, benchmarks); {@link #run}
     * throws IllegalStateException.
     */
    public static GovernanceGate judging(PolicyStore policies, Settings settings, Clock clock) {
        return new GovernanceGate(null, null, policies, null, null, settings, clock);
    }

    public int running() { return settings.maxConcurrent() - slots.availablePermits(); }

    public int queued() { return waiting.get(); }

    public long decisions() { return decisions.get(); }

    public PolicyStore policies() { return policies; }

    /** The evaluation limits of one run. */
    public EvalOptions evalOptions() {
        return EvalOptions.DEFAULT.withDeadline(settings.evalDeadline()).withStepBudget(settings.stepBudget());
    }

    /** Runs the gate on a branch in this thread and returns its decision; never throws for a branch that exists. */
    public Result run(Request req, ReviewRecorder reviews) {
        if (store == null) throw new IllegalStateException("this gate only judges changesets; it has no branch store");
        long start = System.nanoTime();
        if (!admit()) {
            return failed(req, null, null, null, "gate overloaded: " + running() + " running, " + queued()
                    + " waiting; try again later", reviews, start);
        }
        Quiescer.Quiesced q = null;
        DiffResult diff = null;
        String digest = null;
        try {
            BranchMetadata m = store.get(req.id());
            if (!GOVERNABLE.contains(m.state())) {
                // someone else decided meanwhile (expiry, a person): report it, touch nothing
                Decision d = decision(req.id().value(), Outcome.FAILED, null, null, req.exitCode(), "branch is " + m.state()
                        + "; the gate cannot run on it", req.profileName(), req.profile() == null ? null : req.profile().failMode().yamlName(),
                        null, m.state().wire(), start);
                return new Result(d, null);
            }
            if (req.container() != null && !req.stopped()) {
                try {
                    q = quiescer.freeze(req.container());
                } catch (IOException e) {
                    return failed(req, null, null, null, "cannot freeze the container: " + e.getMessage(), reviews, start);
                }
                if (q.wasRunning() && m.state() == BranchState.ACTIVE) store.transition(req.id(), BranchState.FROZEN, null);
            }
            store.transition(req.id(), BranchState.COMMITTING, null);
            // content is hashed only up to the storage quota: a branch certainly over it is judged on its sizes
            long hashBudget = req.profile() == null ? Long.MAX_VALUE : req.profile().resourceLimits().storageQuotaBytes();
            try {
                diff = flow.diff(req.id(), hashBudget);
            } catch (BranchException e) {
                return failed(req, q, null, null, e.getMessage(), reviews, start);
            }
            digest = ChangesetDigest.of(diff.changeset());
            if (req.profile() == null)
                return failed(req, q, diff, digest, "profile " + req.profileName() + " is not loaded", reviews, start);
            PolicyStore.Snapshot snapshot = policies.snapshot();
            Verdict verdict;
            try {
                verdict = PolicyStore.evaluate(snapshot, PolicyInputBuilder.build(diff.changeset(), req.profile(), req.workspace(),
                        req.exitCode()), evalOptions());
                if (verdict.allow() && !diff.contentHashed()) {
                    // the policies did not refuse the sizes (no quota rule): judge the complete, hashed diff
                    try {
                        diff = flow.diff(req.id());
                    } catch (BranchException e) {
                        return failed(req, q, null, null, e.getMessage(), reviews, start);
                    }
                    digest = ChangesetDigest.of(diff.changeset());
                    verdict = PolicyStore.evaluate(snapshot, PolicyInputBuilder.build(diff.changeset(), req.profile(), req.workspace(),
                            req.exitCode()), evalOptions());
                }
            } catch (PolicyUnavailable e) {
                if (!diff.contentHashed()) {
                    // no verdict: a person may approve under operational, and approval compares the full diff's digest
                    try {
                        diff = flow.diff(req.id());
                    } catch (BranchException be) {
                        return failed(req, q, null, null, e.getMessage() + "; and then: " + be.getMessage(), reviews, start);
                    }
                    digest = ChangesetDigest.of(diff.changeset());
                }
                return failed(req, q, diff, digest, e.getMessage(), reviews, start);
            }
            if (!verdict.allow()) {
                kill(q);
                BranchMetadata after = store.transition(req.id(), BranchState.ROLLED_BACK, null);
                return done(req, Outcome.REJECTED, verdict, diff, diff.contentHashed() ? null : unhashedReason(diff, hashBudget),
                        snapshot.digest(), after, start, digest);
            }
            ConflictChecker.Conflict conflict;
            try {
                conflict = conflicts.claim(m, diff.changeset());
            } catch (IOException e) {
                return failed(req, q, diff, digest, "conflict check failed: " + e.getMessage(), reviews, start);
            }
            if (conflict != null) {
                kill(q);
                BranchMetadata after = store.transition(req.id(), BranchState.FAILED, "conflict: " + conflict.reason());
                return done(req, Outcome.CONFLICT, verdict, diff, conflict.reason(), snapshot.digest(), after, start, digest);
            }
            boolean committed = false;
            try {
                if (settings.reviewEnabled()) {
                    kill(q); // the conflict check runs again when a person approves
                    reviews.pending(req.id(), digest, clock.instant());
                    BranchMetadata after = store.transition(req.id(), BranchState.REVIEW_PENDING, null);
                    return done(req, Outcome.REVIEW_PENDING, verdict, diff, "waiting for a person to approve or reject",
                            snapshot.digest(), after, start, digest);
                }
                kill(q);
                try {
                    BranchCommitFlow.Committed c = flow.commitJudged(req.id(), diff);
                    committed = true;
                    return done(req, Outcome.COMMITTED, verdict, diff, null, snapshot.digest(), c.branch(), start, digest);
                } catch (BranchException e) {
                    return failed(req, null, diff, digest, e.getMessage(), reviews, start);
                }
            } finally {
                conflicts.finish(m, committed, clock.instant()); // never leave a claim behind
                if (committed) compactCommitLog(m);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "gate run on branch " + req.id() + " failed: " + e.getMessage(), e);
            return failed(req, q, diff, digest, "gate error: " + e.getMessage(), reviews, start);
        } finally {
            slots.release();
            if (q != null) q.close();
        }
    }

    /** Judges a changeset without a branch (TestPolicy): the outcome is what the gate would do; nothing changes. */
    public Decision judge(Changeset changeset, Profile profile, Integer exitCode, String workspace) {
        long start = System.nanoTime();
        String failMode = profile.failMode().yamlName();
        if (!admit())
            return decision(null, Outcome.FAILED, null, changeset, exitCode, "gate overloaded; try again later", profile.name(),
                    failMode, null, null, start);
        try {
            PolicyStore.Snapshot snapshot = policies.snapshot();
            Verdict v = PolicyStore.evaluate(snapshot, PolicyInputBuilder.build(changeset, profile, workspace, exitCode), evalOptions());
            Outcome o = !v.allow() ? Outcome.REJECTED : settings.reviewEnabled() ? Outcome.REVIEW_PENDING : Outcome.COMMITTED;
            return decision(null, o, v, changeset, exitCode, null, profile.name(), failMode, snapshot.digest(), null, start);
        } catch (PolicyUnavailable e) {
            return decision(null, Outcome.FAILED, null, changeset, exitCode, e.getMessage(), profile.name(), failMode, null, null, start);
        } finally {
            slots.release();
        }
    }

    private boolean admit() {
        if (slots.tryAcquire()) return true;
        if (waiting.incrementAndGet() > settings.maxQueued()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return slots.tryAcquire(settings.queueWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Keeps the base's commit log as short as its live branches need; a failure only costs disk, so it is logged. */
    private void compactCommitLog(BranchMetadata committed) {
        try {
            java.time.Instant oldest = null;
            for (BranchMetadata b : store.listLive()) {
                if (b.state().isTerminal() || b.id().equals(committed.id()) || !committed.base().equals(b.base())) continue;
                if (oldest == null || b.created().isBefore(oldest)) oldest = b.created();
            }
            int dropped = conflicts.compactIfLarge(committed.base(), oldest);
            if (dropped > 0) LOG.log(System.Logger.Level.DEBUG, "commit log of " + committed.base() + ": dropped " + dropped + " old lines");
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot compact the commit log of " + committed.base() + ": " + e.getMessage());
        }
    }

    private static void kill(Quiescer.Quiesced q) {
        if (q != null) q.kill();
    }

    /** Why a rejected changeset's content was never read. */
    static String unhashedReason(DiffResult diff, long quotaBytes) {
        return "judged before reading content: the branch writes at least " + diff.changeset().totalBytes()
                + " bytes, over the profile's storage quota of " + quotaBytes + " bytes (totals are lower bounds)";
    }

    /** No verdict: the profile's fail mode decides what happens to the branch. Admission may not have been granted. */
    private Result failed(Request req, Quiescer.Quiesced q, DiffResult diff, String digest, String reason, ReviewRecorder reviews,
                          long start) {
        FailMode mode = req.profile() == null ? FailMode.CLOSED : req.profile().failMode();
        LOG.log(System.Logger.Level.WARNING, "gate on branch {0} could not decide ({1}); fail mode {2}", req.id(), reason, mode.yamlName());
        BranchMetadata after;
        try {
            BranchState now = store.get(req.id()).state();
            after = switch (mode) {
                case CLOSED, SILENT -> {
                    kill(q);
                    yield now == BranchState.ROLLED_BACK ? store.get(req.id()) : store.transition(req.id(), BranchState.ROLLED_BACK, null);
                }
                case OPERATIONAL -> {
                    if (q != null) q.thaw(); // the agent keeps running; a person decides
                    if (now != BranchState.COMMITTING) store.transition(req.id(), BranchState.COMMITTING, null);
                    reviews.pending(req.id(), digest, clock.instant());
                    yield store.transition(req.id(), BranchState.REVIEW_PENDING, null);
                }
                case SAFE_STATE -> now == BranchState.FAILED ? store.get(req.id())
                        : store.transition(req.id(), BranchState.FAILED, "gate failed: " + reason); // stays frozen
            };
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "applying fail mode " + mode.yamlName() + " to branch " + req.id() + " failed: " + e.getMessage(), e);
            BranchMetadata m = null;
            try {
                m = store.get(req.id());
            } catch (RuntimeException ignored) {
                // reported below through the null state
            }
            after = m;
            reason = reason + "; and then: " + e.getMessage();
        }
        Decision d = decision(req.id().value(), Outcome.FAILED, null, diff == null ? null : diff.changeset(), req.exitCode(), reason,
                req.profileName(), mode.yamlName(), null, after == null ? null : after.state().wire(), start);
        decisions.incrementAndGet();
        return new Result(d, digest);
    }

    private Result done(Request req, Outcome outcome, Verdict v, DiffResult diff, String reason, String policyDigest,
                        BranchMetadata after, long start, String digest) {
        Decision d = decision(req.id().value(), outcome, v, diff.changeset(), req.exitCode(), reason, req.profileName(),
                req.profile().failMode().yamlName(), policyDigest, after.state().wire(), start);
        decisions.incrementAndGet();
        return new Result(d, digest);
    }

    private Decision decision(String branch, Outcome outcome, Verdict v, Changeset cs, Integer exitCode, String reason,
                              String profile, String failMode, String policyDigest, String state, long start) {
        long files = 0, bytes = 0, changes = 0;
        if (cs != null) {
            changes = cs.size();
            bytes = cs.totalBytes();
            for (Change c : cs.changes()) if (!c.directory()) files++;
        }
        return new Decision(branch, outcome, v != null && v.allow(), v == null ? List.of() : v.violations(),
                v == null ? List.of() : v.warnings(), changes, files, bytes, exitCode, reason, profile, failMode, policyDigest,
                state, clock.instant(), (System.nanoTime() - start) / 1_000_000);
    }
}
