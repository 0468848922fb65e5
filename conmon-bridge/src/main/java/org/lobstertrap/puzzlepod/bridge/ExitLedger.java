package org.lobstertrap.puzzlepod.bridge;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The exits seen lately, by container id, and a way to wait for one that has not arrived yet (the poststop
 * hook can reach the daemon before podman's event does). Bounded: the oldest entries are forgotten.
 */
public final class ExitLedger {
    private final int capacity;
    private final LinkedHashMap<String, ContainerExit> exits;

    public ExitLedger(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.exits = new LinkedHashMap<>(16, 0.75f, false) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, ContainerExit> e) { return size() > ExitLedger.this.capacity; }
        };
    }

    public synchronized void record(ContainerExit exit) {
        exits.remove(exit.containerId());
        exits.put(exit.containerId(), exit);
        notifyAll();
    }

    /** The exit of this container if already known. */
    public synchronized Optional<ContainerExit> find(String containerId) { return Optional.ofNullable(exits.get(containerId)); }

    /** Waits up to {@code timeout} for the container's exit; empty when it does not come. */
    public synchronized Optional<ContainerExit> await(String containerId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ContainerExit e;
        while ((e = exits.get(containerId)) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return Optional.empty();
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
        }
        return Optional.of(e);
    }

    public synchronized int size() { return exits.size(); }
}
