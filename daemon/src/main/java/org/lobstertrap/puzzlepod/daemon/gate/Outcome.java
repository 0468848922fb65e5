package org.lobstertrap.puzzlepod.daemon.gate;

/** How a governance decision ended; {@link #wire()} is the one spelling used in JSON and audit records. */
public enum Outcome {
    COMMITTED("committed"),
    REJECTED("rejected"),
    REVIEW_PENDING("review-pending"),
    ROLLED_BACK("rolled-back"),
    CONFLICT("conflict"),
    FAILED("failed");

    private final String wire;

    Outcome(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    @Override public String toString() { return wire; }
}
