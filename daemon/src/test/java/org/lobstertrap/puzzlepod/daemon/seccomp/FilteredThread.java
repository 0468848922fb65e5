package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.SeccompFilter;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotify;

/**
 * A platform thread that installs a notify filter on itself and then runs the tasks it is given, so
 * their execve/connect calls go to a supervisor. The filter is per thread: the rest of the JVM is free.
 */
final class FilteredThread implements AutoCloseable {
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final CompletableFuture<int[]> listenerAndTid = new CompletableFuture<>();
    private final Thread thread;
    private static final Runnable STOP = () -> {};

    FilteredThread(int... syscalls) {
        thread = Thread.ofPlatform().name("seccomp-filtered").start(() -> {
            try {
                int fd = SeccompNotify.installFilter(SeccompFilter.notifyOn(syscalls));
                listenerAndTid.complete(new int[] {fd, Processes.gettid()});
            } catch (Throwable e) {
                listenerAndTid.completeExceptionally(e);
                return;
            }
            try {
                for (Runnable r; (r = tasks.take()) != STOP; ) r.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The listener fd (owned by the caller). */
    int listener() throws Exception { return listenerAndTid.get(10, TimeUnit.SECONDS)[0]; }

    int tid() throws Exception { return listenerAndTid.get(10, TimeUnit.SECONDS)[1]; }

    /** Runs {@code task} on the filtered thread and waits (at most 30 s) for its result. */
    <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try { result.complete(task.call()); } catch (Throwable t) { result.completeExceptionally(t); }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        tasks.add(STOP);
        if (!thread.join(java.time.Duration.ofSeconds(30))) throw new AssertionError("filtered thread did not stop");
    }
}
