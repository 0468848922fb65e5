package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;

/**
 * Turns the service's events into the five signals of {@link Manager1}. The service calls from its own
 * threads (often holding a branch lock), so nothing here blocks: events go into a bounded queue that one
 * sender thread drains onto the bus. When the queue is full the event is dropped and logged; signals are
 * notifications, the audit log and {@code InspectBranch} stay the record. Events raised before
 * {@link #start} wait in the queue.
 */
public final class SignalEmitter implements GovernanceEvents, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SignalEmitter.class.getName());
    /** Default queue length: far above the bursts a gate produces, small enough to bound memory. */
    public static final int DEFAULT_CAPACITY = 4096;
    private static final Event STOP = new Event(null, null, null);

    private record Event(Kind kind, String id, String json) {}

    private enum Kind { CREATED, COMMITTED, ROLLED_BACK, VIOLATION, REVIEW_PENDING }

    private final BlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile Thread sender;
    private volatile boolean closed;

    /** An emitter that holds at most capacity unsent events. */
    public SignalEmitter(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** An emitter with the {@link #DEFAULT_CAPACITY}. */
    public SignalEmitter() { this(DEFAULT_CAPACITY); }

    /** Starts sending on connection (from the object path {@link Manager1#OBJECT_PATH}). */
    public synchronized void start(AbstractConnection connection) {
        Objects.requireNonNull(connection, "connection");
        if (sender != null) throw new IllegalStateException("already started");
        if (closed) throw new IllegalStateException("closed");
        sender = Thread.ofPlatform().name("puzzled-signals").daemon(true).start(() -> run(connection));
    }

    @Override public void branchCreated(String id, String json) { offer(Kind.CREATED, id, json); }

    @Override public void branchCommitted(String id, String json) { offer(Kind.COMMITTED, id, json); }

    @Override public void branchRolledBack(String id, String json) { offer(Kind.ROLLED_BACK, id, json); }

    @Override public void policyViolation(String id, String json) { offer(Kind.VIOLATION, id, json); }

    @Override public void reviewPending(String id, String json) { offer(Kind.REVIEW_PENDING, id, json); }

    /** Signals handed to the bus so far. */
    public long sentCount() { return sent.get(); }

    /** Events dropped because the queue was full, the emitter closed, or the bus refused them. */
    public long droppedCount() { return dropped.get(); }

    private void offer(Kind kind, String id, String json) {
        Event e = new Event(kind, id == null ? "" : id, json == null ? "" : json);
        if (closed || !queue.offer(e)) {
            long n = dropped.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "signal {0} of branch {1} dropped ({2}; {3} dropped so far)",
                    kind, e.id, closed ? "shutting down" : "queue full", n);
        }
    }

    private void run(AbstractConnection connection) {
        while (true) {
            Event e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) return;
            try {
                connection.sendMessage(signal(e));
                sent.incrementAndGet();
            } catch (DBusException | RuntimeException ex) {
                dropped.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "signal " + e.kind + " of branch " + e.id + " not sent: " + ex.getMessage());
            }
        }
    }

    private static DBusSignal signal(Event e) throws DBusException {
        String p = Manager1.OBJECT_PATH;
        return switch (e.kind) {
            case CREATED -> new Manager1.BranchCreated(p, e.id, e.json);
            case COMMITTED -> new Manager1.BranchCommitted(p, e.id, e.json);
            case ROLLED_BACK -> new Manager1.BranchRolledBack(p, e.id, e.json);
            case VIOLATION -> new Manager1.PolicyViolation(p, e.id, e.json);
            case REVIEW_PENDING -> new Manager1.GovernanceReviewPending(p, e.id, e.json);
        };
    }

    /** Sends what is queued (waiting at most 2 s), then stops; later events are dropped. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = sender;
        }
        if (t == null) {
            queue.clear();
            return;
        }
        try {
            // The queue may be full: wait for room rather than lose the stop marker.
            if (!queue.offer(STOP, 2, TimeUnit.SECONDS)) t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(2));
            if (t.isAlive()) t.interrupt();
        } catch (InterruptedException ie) {
            t.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
