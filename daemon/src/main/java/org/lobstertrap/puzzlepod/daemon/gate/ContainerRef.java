package org.lobstertrap.puzzlepod.daemon.gate;

/**
 * The container governing a branch, as {@code AttachGovernance} reported it.
 *
 * @param containerId the runtime's container id
 * @param pid         the container's init process (as seen from the daemon's pid namespace)
 * @param cgroup      its cgroup (as in {@code /proc/PID/cgroup}, or an absolute path under a cgroup mount),
 *                    or null to read it from {@code /proc/PID/cgroup}
 * @param bundle      the OCI bundle directory, or null
 */
public record ContainerRef(String containerId, int pid, String cgroup, String bundle) {
    public ContainerRef {
        if (pid <= 0) throw new IllegalArgumentException("pid must be positive, got " + pid);
    }
}
