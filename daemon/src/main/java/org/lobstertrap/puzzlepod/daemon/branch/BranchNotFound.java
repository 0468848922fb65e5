package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;

/** No branch (live or finished) has this id. Code {@code "not-found"}. */
public final class BranchNotFound extends BranchException {
    public static final String CODE = "not-found";

    public BranchNotFound(BranchId id) { super(CODE, "branch " + id + " does not exist"); }
}
