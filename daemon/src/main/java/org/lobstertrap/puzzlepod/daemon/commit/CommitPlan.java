package org.lobstertrap.puzzlepod.daemon.commit;

import java.util.List;
import org.lobstertrap.puzzlepod.core.changeset.Change;

/**
 * A validated commit: what to build in the staging directory and the journalled operations that
 * move it into the base.
 *
 * @param staged objects to create under {@code stage/}, parents before children
 * @param ops    the apply phase in order: all {@link CommitOp.MoveOut}, then {@link CommitOp.PlaceIn},
 *               then {@link CommitOp.SetMetadata}
 * @param bytes  content bytes the staging copies
 */
record CommitPlan(List<StagedObject> staged, List<CommitOp> ops, long bytes) {

    /**
     * One object to stage.
     *
     * @param change    what to build
     * @param type      its file type ({@code S_IFREG}, {@code S_IFDIR}, …)
     * @param stagePath where, relative to the staging directory: {@code "<slot>"} or, inside a new
     *                  directory, {@code "<slot>/rest/of/path"}
     */
    record StagedObject(Change change, int type, byte[] stagePath) {}

    boolean isEmpty() { return ops.isEmpty(); }
}
