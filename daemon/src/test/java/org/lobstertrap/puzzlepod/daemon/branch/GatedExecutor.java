package org.lobstertrap.puzzlepod.daemon.branch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Holds submitted jobs until the test releases them, so "not yet deleted" can be observed without timing. */
final class GatedExecutor implements Executor {
    private final List<Runnable> queued = new ArrayList<>();

    @Override public synchronized void execute(Runnable job) { queued.add(job); }

    synchronized int queued() { return queued.size(); }

    /** Runs every held job in a fresh platform thread and waits for them. */
    void release() throws InterruptedException {
        List<Runnable> jobs;
        synchronized (this) {
            jobs = List.copyOf(queued);
            queued.clear();
        }
        for (Runnable job : jobs) {
            Thread t = Thread.ofPlatform().start(job);
            t.join();
        }
    }
}
