package org.lobstertrap.puzzlepod.daemon.branch;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Tunables of a {@link BranchStore}.
 *
 * @param clock            the store's time source (tests inject a fixed or stepping clock)
 * @param remover          how trash is deleted; null picks {@link RawTreeRemover} on the real kernel
 * @param deletionExecutor where trash deletion runs; null gives the store its own background platform thread
 * @param recoveryLifetime lifetime given to a branch whose metadata was lost, so the expiry sweep
 *                         eventually removes it after a person had time to look
 */
public record StoreOptions(Clock clock, TreeRemover remover, Executor deletionExecutor, Duration recoveryLifetime) {
    public StoreOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(recoveryLifetime, "recoveryLifetime");
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), null, null, Duration.ofDays(7));
    }

    public StoreOptions withClock(Clock c) { return new StoreOptions(c, remover, deletionExecutor, recoveryLifetime); }
    public StoreOptions withRemover(TreeRemover r) { return new StoreOptions(clock, r, deletionExecutor, recoveryLifetime); }
    public StoreOptions withDeletionExecutor(Executor e) { return new StoreOptions(clock, remover, e, recoveryLifetime); }
    public StoreOptions withRecoveryLifetime(Duration d) { return new StoreOptions(clock, remover, deletionExecutor, d); }
}
