package org.lobstertrap.puzzlepod.podman;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import sun.misc.Signal;

/**
 * Passes SIGINT, SIGTERM and SIGHUP on to the running podman (which passes them to the container), so
 * that stopping the wrapper stops the container and the governance decision still happens. Before
 * podman starts a signal is remembered (the run is then abandoned and its branch rolled back); after
 * podman has exited a signal ends the wrapper at once (the daemon finishes the governance on its own).
 */
final class SignalForwarder {
    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

    private final AtomicReference<Process> child = new AtomicReference<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean childDone;
    private volatile String branchId;
    private final PrintStream err;

    SignalForwarder(PrintStream err) { this.err = err; }

    /** Installs the handlers for this process. */
    SignalForwarder install() {
        for (String name : SIGNALS) Signal.handle(new Signal(name), this::onSignal);
        return this;
    }

    void branch(String id) { branchId = id; }

    /** podman runs; a signal that slipped in between the last check and the start is passed on now. */
    void started(Process p) {
        child.set(p);
        int missed = pending.getAndSet(0);
        if (missed != 0) {
            try {
                Processes.kill((int) p.pid(), missed);
            } catch (LinuxException e) {
                // podman already gone
            }
        }
    }

    void exited() { childDone = true; }

    /** A signal that arrived before podman started (0 for none). */
    int pending() { return pending.get(); }

    private void onSignal(Signal s) {
        Process p = child.get();
        if (p == null) {
            pending.compareAndSet(0, s.getNumber());
            return;
        }
        if (!childDone && p.isAlive()) {
            try {
                Processes.kill((int) p.pid(), s.getNumber());
            } catch (LinuxException e) {
                // podman exited just now; nothing to pass on
            }
            return;
        }
        String id = branchId;
        err.println("puzzle-podman: SIG" + s.getName() + " while waiting for the decision; puzzled decides on its own"
                + (id != null ? " (puzzle-podman agent inspect " + id + ")" : ""));
        Runtime.getRuntime().halt(128 + s.getNumber());
    }
}
