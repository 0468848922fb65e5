package org.lobstertrap.puzzlepod.core.branch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the branch core records about one branch. Immutable; a change of state yields a new
 * record through {@link #transition}, which enforces the lifecycle table of {@link BranchState}.
 *
 * @param id            the branch id
 * @param ownerUid      uid of the user the branch belongs to
 * @param profile       name of the containment profile the branch runs under
 * @param base          absolute path of the workspace the branch overlays; null only for a branch whose
 *                      metadata was lost (it can then only be rolled back)
 * @param created       when the branch was created
 * @param state         current lifecycle state
 * @param containerId   the container running on the branch, or null
 * @param lifetime      how long the branch may live; a setting of its own, independent of any
 *                      watchdog or sweep interval
 * @param expiresAt     when the branch expires (normally {@code created + lifetime})
 * @param overlay       how the overlay is mounted
 * @param updated       when this record last changed
 * @param failureReason why the branch is (or was) failed or degraded; null when it never was
 */
public record BranchMetadata(BranchId id, int ownerUid, String profile, Path base, Instant created,
                             BranchState state, String containerId, Duration lifetime, Instant expiresAt,
                             OverlayFlavour overlay, Instant updated, String failureReason) {
    public BranchMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(updated, "updated");
        if (ownerUid < 0) throw new IllegalArgumentException("branch " + id + ": owner uid " + ownerUid + " is negative");
        if (lifetime.isNegative() || lifetime.isZero())
            throw new IllegalArgumentException("branch " + id + ": lifetime must be positive, got " + lifetime);
        if (base != null && !base.isAbsolute())
            throw new IllegalArgumentException("branch " + id + ": base path must be absolute, got " + base);
        if (base == null && state != BranchState.FAILED && !state.isTerminal())
            throw new IllegalArgumentException("branch " + id + ": a branch without a base path must be failed, not " + state);
        if (containerId != null && containerId.isBlank()) containerId = null;
    }

    /** A new branch in state ready, expiring {@code lifetime} after {@code now}. */
    public static BranchMetadata newBranch(BranchId id, int ownerUid, String profile, Path base, Duration lifetime,
                                           OverlayFlavour overlay, Instant now) {
        Objects.requireNonNull(lifetime, "lifetime");
        return new BranchMetadata(id, ownerUid, profile, base, now, BranchState.READY, null, lifetime,
                now.plus(lifetime), overlay, now, null);
    }

    /**
     * This branch in state {@code target}. Throws {@link IllegalBranchTransition} when the lifecycle
     * table forbids it. Entering failed or degraded requires a reason; otherwise a given reason
     * replaces the recorded one and null keeps it (so a rolled-back branch still says why it failed).
     */
    public BranchMetadata transition(BranchState target, Instant now, String reason) {
        state.checkTransition(id, target);
        boolean needsReason = target == BranchState.FAILED || target == BranchState.DEGRADED;
        if (needsReason && (reason == null || reason.isBlank()))
            throw new IllegalArgumentException("branch " + id + ": going to " + target + " needs a reason");
        return new BranchMetadata(id, ownerUid, profile, base, created, target, containerId, lifetime, expiresAt,
                overlay, now, reason != null ? reason : failureReason);
    }

    /** This branch with another container id (null to clear it). */
    public BranchMetadata withContainerId(String newContainerId, Instant now) {
        return new BranchMetadata(id, ownerUid, profile, base, created, state, newContainerId, lifetime, expiresAt,
                overlay, now, failureReason);
    }

    /** True when the branch has outlived its lifetime at {@code now}. */
    public boolean isExpired(Instant now) { return !now.isBefore(expiresAt); }
}
