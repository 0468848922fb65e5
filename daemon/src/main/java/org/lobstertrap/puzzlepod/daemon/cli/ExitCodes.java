package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.IllegalBranchTransition;
import org.lobstertrap.puzzlepod.core.branch.InvalidBranchId;
import org.lobstertrap.puzzlepod.daemon.branch.BranchAlreadyExists;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchNotFound;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStoreException;

/** The exit codes of {@code puzzle-branch}, documented in its help. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int REFUSED = 4;
    public static final int UNUSABLE = 5;
    public static final int DIFF_OR_COMMIT_FAILED = 6;


    private ExitCodes() {}

    /** The exit code for a branch-core error. */
    static int of(BranchException e) {
        if (e instanceof BranchNotFound) return NOT_FOUND;
        if (e instanceof InvalidBranchId) return USAGE;
        if (e instanceof IllegalBranchTransition || e instanceof BranchAlreadyExists) return REFUSED;
        if (e instanceof BranchStoreException) return UNUSABLE;
        return switch (e.code()) {
            case BranchCommitFlow.DIFF_FAILED, BranchCommitFlow.COMMIT_FAILED -> DIFF_OR_COMMIT_FAILED;
            case "finished", "no-base", "commit-in-progress" -> REFUSED;
            default -> INTERNAL;
        };
    }

}
