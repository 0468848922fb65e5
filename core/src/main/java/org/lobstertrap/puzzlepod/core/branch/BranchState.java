package org.lobstertrap.puzzlepod.core.branch;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a branch is in its life. Each state has exactly one wire spelling ({@link #wire()}), used in
 * JSON, logs and the CLI; {@link #fromWire(String)} accepts nothing else.
 *
 * <p>The legal transitions are the explicit table in {@link #successors()}:
 * <pre>
 * ready          → active, committing, rolled-back, failed
 * active         → ready, frozen, committing, rolled-back, failed, degraded
 * frozen         → active, committing, rolled-back, failed, degraded
 * committing     → committed, review-pending, rolled-back, failed
 * review-pending → committing, rolled-back, failed
 * failed         → committing, rolled-back
 * degraded       → committing, rolled-back, failed
 * committed      → (final)
 * rolled-back    → rolled-back (an idempotent repeat of rollback; nothing else)
 * </pre>
 * Why: a container runs while active and is paused while frozen; a branch whose container stopped
 * with nothing decided ({@code on_exit: hold}) is ready again: no container, waiting for a person or the next one; committing covers diff, policy and
 * the write into the base, ending committed, review-pending (a person must decide), rolled-back
 * (policy rejected the changes) or failed. A failed or degraded branch (its container is gone) still
 * holds its upper dir, so it may be committed after inspection or rolled back.
 */
public enum BranchState {
    READY("ready"),
    ACTIVE("active"),
    FROZEN("frozen"),
    COMMITTING("committing"),
    REVIEW_PENDING("review-pending"),
    COMMITTED("committed"),
    ROLLED_BACK("rolled-back"),
    FAILED("failed"),
    DEGRADED("degraded");

    private static final Map<BranchState, Set<BranchState>> NEXT = new EnumMap<>(BranchState.class);
    static {
        NEXT.put(READY, EnumSet.of(ACTIVE, COMMITTING, ROLLED_BACK, FAILED));
        NEXT.put(ACTIVE, EnumSet.of(READY, FROZEN, COMMITTING, ROLLED_BACK, FAILED, DEGRADED));
        NEXT.put(FROZEN, EnumSet.of(ACTIVE, COMMITTING, ROLLED_BACK, FAILED, DEGRADED));
        NEXT.put(COMMITTING, EnumSet.of(COMMITTED, REVIEW_PENDING, ROLLED_BACK, FAILED));
        NEXT.put(REVIEW_PENDING, EnumSet.of(COMMITTING, ROLLED_BACK, FAILED));
        NEXT.put(FAILED, EnumSet.of(COMMITTING, ROLLED_BACK));
        NEXT.put(DEGRADED, EnumSet.of(COMMITTING, ROLLED_BACK, FAILED));
        NEXT.put(COMMITTED, EnumSet.noneOf(BranchState.class));
        NEXT.put(ROLLED_BACK, EnumSet.of(ROLLED_BACK));
        NEXT.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    }

    private final String wire;

    BranchState(String wire) { this.wire = wire; }

    /** The one spelling used on the wire, e.g. {@code "review-pending"}. */
    public String wire() { return wire; }

    /** The state spelled {@code wire}; throws {@link BranchException} (code "invalid-state") for anything else. */
    public static BranchState fromWire(String wire) {
        for (BranchState s : values()) if (s.wire.equals(wire)) return s;
        throw new BranchException("invalid-state", "unknown branch state \"" + wire + "\"; known states: " + allWire());
    }

    /** The states this one may go to (read-only). */
    public Set<BranchState> successors() { return NEXT.get(this); }

    /** True when {@code target} is a legal next state. */
    public boolean canGoTo(BranchState target) { return NEXT.get(this).contains(target); }

    /** Committed and rolled-back: the branch's upper dir is gone, only its record remains. */
    public boolean isTerminal() { return this == COMMITTED || this == ROLLED_BACK; }

    /** Checks a transition; throws {@link IllegalBranchTransition} when it is not in the table. */
    public void checkTransition(BranchId branch, BranchState target) {
        if (!canGoTo(target)) throw new IllegalBranchTransition(branch, this, target);
    }

    @Override public String toString() { return wire; }

    private static String allWire() {
        StringBuilder sb = new StringBuilder();
        for (BranchState s : values()) sb.append(sb.isEmpty() ? "" : ", ").append(s.wire);
        return sb.toString();
    }
}
