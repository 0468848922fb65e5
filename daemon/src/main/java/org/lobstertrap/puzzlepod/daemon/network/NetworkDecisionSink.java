package org.lobstertrap.puzzlepod.daemon.network;

/**
 * Where the proxy and the DNS filter report every decision. Called on connection threads; implementations
 * must be thread-safe and should not block for long.
 */
@FunctionalInterface
public interface NetworkDecisionSink {
    void record(NetworkDecision decision);
}
