package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.lobstertrap.puzzlepod.daemon.commit.ChangesetCommitter;
import org.lobstertrap.puzzlepod.daemon.commit.CommitException;
import org.lobstertrap.puzzlepod.daemon.diff.DiffException;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.diff.OverlayFlavor;
import org.lobstertrap.puzzlepod.daemon.diff.UpperDirDiff;

import java.util.ArrayList;
import java.util.List;

/**
 * Diff and commit of a branch, tying the store's lifecycle to the diff and the crash-safe commit:
 * committing is recorded before the base is touched, committed only after the commit is durable, and
 * failed (with the reason) when it is refused. Policy evaluation is not part of this flow.
 */
public final class BranchCommitFlow {
    /** Code of a diff that could not be computed. */
    public static final String DIFF_FAILED = "diff-failed";
    /** Code of a commit that was refused or failed. */
    public static final String COMMIT_FAILED = "commit-failed";
    private static final System.Logger LOG = System.getLogger(BranchCommitFlow.class.getName());

    private final BranchStore store;
    private final UpperDirDiff differ;
    private final ChangesetCommitter committer;

    public BranchCommitFlow(BranchStore store, UpperDirDiff differ, ChangesetCommitter committer) {
        this.store = store;
        this.differ = differ;
        this.committer = committer;
    }

    /** The flow on the real kernel. */
    public static BranchCommitFlow onLinux(BranchStore store) {
        return new BranchCommitFlow(store, UpperDirDiff.onLinux(), ChangesetCommitter.linux());
    }

    /** What a commit did. */
    public record Committed(BranchMetadata branch, DiffResult diff, ChangesetCommitter.CommitResult result) {}

    /** What the commit recovery did for one branch found committing at start-up. */
    public record CommitRecovery(BranchMetadata branch, String outcome) {}

    /** The changeset of a live branch against its base. Throws BranchException "diff-failed" when it cannot be computed. */
    public DiffResult diff(BranchId id) { return diff(id, Long.MAX_VALUE); }

    /**
     * The branch's changeset, its content hashed only while the changeset certainly writes at most
     * {@code hashBudget} bytes (beyond that the result is unhashed: judge it, never commit it; see
     * {@link UpperDirDiff#diff(byte[], byte[], OverlayFlavor, long)}).
     */
    public DiffResult diff(BranchId id, long hashBudget) {
        BranchMetadata m = requireLive(id, "diff");
        try {
            return differ.diff(m.base().toString(), store.paths(m.id()).upper().toString(), diffFlavor(m.overlay()), hashBudget);
        } catch (DiffException e) {
            throw new BranchException(DIFF_FAILED, "branch " + id + ": diff failed: " + e.getMessage(), e);
        }
    }

    /**
     * Commits a branch into its base: committing → (diff, crash-safe commit) → committed, which also
     * retires the branch's dirs. On a refusal or failure the branch becomes failed with the reason and
     * BranchException "commit-failed" is thrown; the base is unchanged. If the commit died after its
     * journal was prepared, recovery runs at once; should that fail too, the branch stays committing
     * for {@link #recoverCommits}.
     */
    public Committed commit(BranchId id) {
        BranchMetadata m = requireLive(id, "commit");
        store.transition(id, BranchState.COMMITTING, null);
        DiffResult diff;
        try {
            diff = runDiff(m);
        } catch (DiffException e) {
            String reason = "diff failed: " + e.getMessage();
            store.transition(id, BranchState.FAILED, reason);
            throw new BranchException(DIFF_FAILED, "branch " + id + ": " + reason + "; the base is unchanged", e);
        }
        return writeIntoBase(id, m, diff);
    }

    /**
     * Commits a changeset that was diffed and judged while the branch was already committing (the
     * governance gate's path: the policy saw exactly this changeset, so it is not diffed again). Ends
     * committed, or failed with the reason and BranchException "commit-failed"; as {@link #commit}.
     */
    public Committed commitJudged(BranchId id, DiffResult diff) {
        if (!diff.contentHashed())
            throw new IllegalArgumentException("branch " + id + ": a diff that stopped before hashing content cannot be committed");
        BranchMetadata m = store.get(id);
        if (m.state() != BranchState.COMMITTING)
            throw new BranchException("not-committing", "branch " + id + " is " + m.state() + ", not committing");
        return writeIntoBase(id, m, diff);
    }

    /** Writes a committing branch's diffed changeset into its base; ends committed or failed (the base then unchanged). */
    private Committed writeIntoBase(BranchId id, BranchMetadata m, DiffResult diff) {
        ChangesetCommitter.CommitResult result;
        try {
            result = committer.commit(diff.changeset(), store.paths(id).upper(), m.base());
        } catch (CommitException e) {
            if (e.baseModified()) return finishInterrupted(id, diff, e);
            String reason = "commit refused (" + e.error() + "): " + e.getMessage();
            store.transition(id, BranchState.FAILED, reason);
            throw new BranchException(COMMIT_FAILED, "branch " + id + ": " + reason + "; the base is unchanged", e);
        }
        BranchMetadata done = store.transition(id, BranchState.COMMITTED, null);
        LOG.log(System.Logger.Level.INFO, "branch {0} committed into {1}: {2} changes", id, m.base(),
                Integer.toString(diff.changeset().size()));
        return new Committed(done, diff, result);
    }

    private Committed finishInterrupted(BranchId id, DiffResult diff, CommitException cause) {
        BranchMetadata m = store.get(id);
        try {
            ChangesetCommitter.RecoveryOutcome outcome = committer.recover(m.base());
            if (outcome == ChangesetCommitter.RecoveryOutcome.ROLLED_FORWARD || outcome == ChangesetCommitter.RecoveryOutcome.CLEANED_UP) {
                return new Committed(store.transition(id, BranchState.COMMITTED, null), diff, null);
            }
            String reason = "commit failed (" + cause.error() + ") and was undone: " + cause.getMessage();
            store.transition(id, BranchState.FAILED, reason);
            throw new BranchException(COMMIT_FAILED, "branch " + id + ": " + reason, cause);
        } catch (CommitException e) {
            throw new BranchException(COMMIT_FAILED, "branch " + id + ": commit failed (" + cause.error() + ": "
                    + cause.getMessage() + ") and its recovery failed too (" + e.getMessage()
                    + "); the branch stays committing until recovery succeeds", e);
        }
    }

    /**
     * Completes or undoes the commits of branches found committing at start-up (from
     * {@link RecoveryReport#awaitingCommitRecovery()}): the base's commit journal decides. Rolled
     * forward → committed; undone or no journal → failed with the reason (the upper dir is intact, so a
     * person can commit again or roll back). A recovery that fails leaves the branch committing.
     */
    public List<CommitRecovery> recoverCommits(List<BranchMetadata> committing) {
        List<CommitRecovery> out = new ArrayList<>();
        for (BranchMetadata m : committing) {
            if (m.base() == null) {
                out.add(new CommitRecovery(store.transition(m.id(), BranchState.FAILED, "no base recorded; cannot recover the commit"),
                        "failed: no base recorded"));
                continue;
            }
            try {
                ChangesetCommitter.RecoveryOutcome outcome = committer.recover(m.base());
                BranchMetadata after = switch (outcome) {
                    case ROLLED_FORWARD, CLEANED_UP -> store.transition(m.id(), BranchState.COMMITTED, null);
                    case ROLLED_BACK -> store.transition(m.id(), BranchState.FAILED,
                            "the commit was interrupted before it was prepared and has been undone; the base is unchanged");
                    case NOTHING_TO_DO -> store.transition(m.id(), BranchState.FAILED,
                            "the commit was interrupted; the base holds no commit journal (the commit had not started"
                                    + " writing, or had finished): inspect the base, then commit again or roll back");
                };
                out.add(new CommitRecovery(after, outcome.name()));
                LOG.log(System.Logger.Level.WARNING, "commit recovery of branch {0}: {1} -> {2}", m.id(), outcome, after.state());
            } catch (CommitException e) {
                out.add(new CommitRecovery(m, "recovery failed (" + e.error() + "): " + e.getMessage()));
                LOG.log(System.Logger.Level.ERROR, "commit recovery of branch " + m.id() + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The diff package's name for a branch's overlay flavour. */
    public static OverlayFlavor diffFlavor(OverlayFlavour flavour) {
        return switch (flavour) {
            case KERNEL -> OverlayFlavor.TRUSTED_XATTR;
            case KERNEL_USERXATTR -> OverlayFlavor.USER_XATTR;
            case FUSE -> OverlayFlavor.FUSE;
        };
    }

    private DiffResult runDiff(BranchMetadata m) throws DiffException {
        return differ.diff(m.base().toString(), store.paths(m.id()).upper().toString(), diffFlavor(m.overlay()));
    }

    private BranchMetadata requireLive(BranchId id, String action) {
        BranchMetadata m = store.get(id);
        if (m.state().isTerminal())
            throw new BranchException("finished", "branch " + id + " is " + m.state() + "; there is nothing left to " + action);
        if (m.base() == null)
            throw new BranchException("no-base", "branch " + id + " has no recorded base (its metadata was lost); it can only be rolled back");
        return m;
    }
}
