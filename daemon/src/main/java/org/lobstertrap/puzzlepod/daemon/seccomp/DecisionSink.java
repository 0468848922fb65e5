package org.lobstertrap.puzzlepod.daemon.seccomp;

/**
 * Where the supervisor reports every answered system call. Called on the supervisor thread after the
 * answer was delivered: it must not block for long (queue, don't write synchronously to slow storage).
 */
@FunctionalInterface
public interface DecisionSink {
    void record(Decision decision);
}
