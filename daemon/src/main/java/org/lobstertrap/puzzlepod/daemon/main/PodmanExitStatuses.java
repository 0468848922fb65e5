package org.lobstertrap.puzzlepod.daemon.main;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.lobstertrap.puzzlepod.bridge.ExitLedger;
import org.lobstertrap.puzzlepod.bridge.PodmanEventsBridge;
import org.lobstertrap.puzzlepod.daemon.service.GovernanceService;

/**
 * The daemon's source of container exit statuses: podman's died events, followed by the conmon bridge as
 * the same user as the daemon (root: rootful containers; a per-user daemon: that user's containers).
 */
final class PodmanExitStatuses implements GovernanceService.ExitStatuses {
    /** Enough for every container that can be waiting on a decision at once. */
    private static final int REMEMBERED = 4096;

    private final PodmanEventsBridge bridge;

    private PodmanExitStatuses(PodmanEventsBridge bridge) { this.bridge = bridge; }

    /** Starts following {@code podman events}; a missing podman is logged and retried, never fatal. */
    static PodmanExitStatuses start(List<String> podman) throws InterruptedException {
        return new PodmanExitStatuses(new PodmanEventsBridge(podman, new ExitLedger(REMEMBERED), null).start());
    }

    @Override
    public OptionalInt await(String containerId, Duration timeout) throws InterruptedException {
        return bridge.ledger().await(containerId, timeout).map(e -> OptionalInt.of(e.exitCode())).orElse(OptionalInt.empty());
    }

    @Override
    public void close() throws InterruptedException { bridge.close(); }
}
