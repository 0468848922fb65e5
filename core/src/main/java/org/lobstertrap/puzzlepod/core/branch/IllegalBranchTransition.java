package org.lobstertrap.puzzlepod.core.branch;

/**
 * A state change the lifecycle does not allow, e.g. "branch b-1: cannot go from committed to active".
 * Code {@code "illegal-transition"}.
 */
public final class IllegalBranchTransition extends BranchException {
    public static final String CODE = "illegal-transition";
    private final BranchId branch;
    private final BranchState from;
    private final BranchState to;

    public IllegalBranchTransition(BranchId branch, BranchState from, BranchState to) {
        super(CODE, "branch " + branch + ": cannot go from " + from.wire() + " to " + to.wire()
                + allowedHint(from));
        this.branch = branch;
        this.from = from;
        this.to = to;
    }

    public BranchId branch() { return branch; }
    public BranchState from() { return from; }
    public BranchState to() { return to; }

    private static String allowedHint(BranchState from) {
        var next = from.successors();
        if (from.isTerminal()) return " (" + from.wire() + " is final)";
        StringBuilder sb = new StringBuilder(" (from ").append(from.wire()).append(" it can go to ");
        String sep = "";
        for (BranchState s : next) { sb.append(sep).append(s.wire()); sep = ", "; }
        return sb.append(')').toString();
    }
}
