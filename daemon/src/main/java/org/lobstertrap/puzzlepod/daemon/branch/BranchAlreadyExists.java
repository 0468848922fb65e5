package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;

/** Creating a branch whose id is taken (by a live branch or the record of a finished one). Code {@code "exists"}. */
public final class BranchAlreadyExists extends BranchException {
    public static final String CODE = "exists";

    public BranchAlreadyExists(BranchId id) { super(CODE, "branch " + id + " already exists; branch ids are never reused"); }
}
