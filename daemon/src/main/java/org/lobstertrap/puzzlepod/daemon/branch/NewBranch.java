package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link BranchStore#create(NewBranch)} needs to make a branch.
 *
 * @param id       the id to use, or null for a generated one
 * @param ownerUid uid of the user the branch belongs to
 * @param profile  containment profile name
 * @param base     the workspace directory to overlay (must exist; symlinks are resolved)
 * @param lifetime how long the branch may live before the expiry sweep rolls it back
 * @param overlay  how the overlay will be mounted
 */
public record NewBranch(BranchId id, int ownerUid, String profile, Path base, Duration lifetime, OverlayFlavour overlay) {
    public NewBranch {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(overlay, "overlay");
        if (profile.isBlank()) throw new IllegalArgumentException("profile name is blank");
        if (lifetime.isNegative() || lifetime.isZero())
            throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
    }

    /** A request with a generated id and the kernel overlay. */
    public static NewBranch of(int ownerUid, String profile, Path base, Duration lifetime) {
        return new NewBranch(null, ownerUid, profile, base, lifetime, OverlayFlavour.KERNEL);
    }

    public NewBranch withId(BranchId newId) { return new NewBranch(newId, ownerUid, profile, base, lifetime, overlay); }
}
