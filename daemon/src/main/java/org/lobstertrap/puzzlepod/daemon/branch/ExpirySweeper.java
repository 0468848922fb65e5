package org.lobstertrap.puzzlepod.daemon.branch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@link BranchStore#sweepExpired()} on its own schedule. The interval only decides how late an
 * expired branch may be noticed; how long a branch lives is its own lifetime setting.
 */
public final class ExpirySweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());
    private final ScheduledExecutorService scheduler;

    private ExpirySweeper(ScheduledExecutorService scheduler) { this.scheduler = scheduler; }

    /**
     * Starts sweeping {@code store} every {@code interval} (first run after one interval) on a
     * background platform thread; {@code onReport} receives each non-empty report.
     */
    public static ExpirySweeper start(BranchStore store, Duration interval, Consumer<ExpiryReport> onReport) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(onReport, "onReport");
        if (interval.isNegative() || interval.isZero())
            throw new IllegalArgumentException("sweep interval must be positive, got " + interval);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("branch-expiry-sweep").daemon(true).factory());
        long nanos = interval.toNanos();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                ExpiryReport report = store.sweepExpired();
                if (!report.isEmpty()) onReport.accept(report);
            } catch (RuntimeException e) {
                // keep sweeping: one failed run must not stop expiry for good
                LOG.log(System.Logger.Level.ERROR, "expiry sweep failed: " + e.getMessage(), e);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        return new ExpirySweeper(scheduler);
    }

    /** Stops the schedule; a sweep in progress finishes. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
