package org.lobstertrap.puzzlepod.bridge;

import java.time.Instant;
import java.util.Objects;

/**
 * How a container's main process ended, as its monitor (conmon) recorded it.
 *
 * @param containerId the full container id (64 hex digits)
 * @param exitCode    the exit status; 128+N when killed by signal N (137: SIGKILL, e.g. the OOM killer or a
 *                    stop timeout); -1 when the monitor could not learn it
 * @param time        when podman recorded the death
 */
public record ContainerExit(String containerId, int exitCode, Instant time) {
    public ContainerExit {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(time, "time");
        if (!ContainerIds.isFull(containerId)) throw new IllegalArgumentException("not a container id: " + containerId);
    }

    /** The signal that killed the process, or 0 when it exited by itself (or the status is unknown). */
    public int signal() { return exitCode > 128 && exitCode < 160 ? exitCode - 128 : 0; }

    /** True when the process exited with status 0. */
    public boolean clean() { return exitCode == 0; }

    /** True when the monitor could not learn the status (podman reports -1). */
    public boolean unknown() { return exitCode < 0; }
}
