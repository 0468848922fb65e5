package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.Objects;

/**
 * A container whose seccomp notifications the supervisor answers.
 *
 * @param containerId the OCI container id ({@code state.id} of runc's message)
 * @param initPid     the container's init process (host pid namespace); 0 when unknown
 * @param metadata    runc's {@code listenerMetadata}: the branch id the container works on
 */
public record GovernedContainer(String containerId, int initPid, String metadata) {
    public GovernedContainer {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(metadata, "metadata");
        if (initPid < 0) throw new IllegalArgumentException("container " + containerId + ": negative init pid " + initPid);
    }

    /** The branch id carried in the metadata. */
    public String branchId() { return metadata; }
}
