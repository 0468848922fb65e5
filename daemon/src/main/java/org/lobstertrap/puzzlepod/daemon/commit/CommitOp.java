package org.lobstertrap.puzzlepod.daemon.commit;

import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/**
 * One step of the apply phase, as recorded in the journal. Every step is idempotent and tells by
 * itself whether it has already happened, so recovery can replay the whole list from the start.
 */
public sealed interface CommitOp {

    /**
     * Rename the base object at {@code path} to {@code trash/<slot>}. Done when the trash slot exists
     * (nothing else ever writes there before the commit is complete).
     */
    record MoveOut(RelPath path, int slot) implements CommitOp {}

    /**
     * Rename {@code stage/<slot>} to {@code path} in the base, replacing a non-directory there. Done when
     * the stage slot no longer exists.
     */
    record PlaceIn(int slot, RelPath path) implements CommitOp {}

    /**
     * Set owner and permission bits of an object the base keeps (a metadata change, or a directory
     * that stays a directory). Setting the same values again is harmless.
     *
     * @param mode full {@code st_mode}; the type bits say whether it is a symlink (owner only)
     */
    record SetMetadata(RelPath path, int mode, int uid, int gid) implements CommitOp {}
}
