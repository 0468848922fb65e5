package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.ArrayDeque;
import java.util.List;

/** Keeps the last {@code capacity} decisions in memory and logs each one (denials at INFO). */
public final class InMemoryDecisionSink implements DecisionSink {
    private static final System.Logger LOG = System.getLogger(InMemoryDecisionSink.class.getName());
    private final int capacity;
    private final ArrayDeque<Decision> decisions = new ArrayDeque<>();

    public InMemoryDecisionSink(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        this.capacity = capacity;
    }

    @Override
    public synchronized void record(Decision d) {
        if (decisions.size() == capacity) decisions.removeFirst();
        decisions.addLast(d);
        LOG.log(d.allowed() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                "seccomp {0} container {1} branch {2} pid {3}: {4} {5} ({6})", d.allowed() ? "allowed" : "denied",
                d.containerId(), d.branchId(), String.valueOf(d.pid()), d.syscall(), d.subject(), d.reason());
    }

    /** A snapshot, oldest first. */
    public synchronized List<Decision> decisions() { return List.copyOf(decisions); }
}
