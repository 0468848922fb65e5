package org.lobstertrap.puzzlepod.daemon.seccomp;

/**
 * What the listener does with a container before it serves its notifications: puzzled attaches it to its
 * branch (cgroup, network rules, exit watch). runc's init is then stopped at its first notified call (its
 * execve), so whatever this sets up is in place before the agent's first instruction.
 */
@FunctionalInterface
public interface ContainerAdmission {
    /**
     * Admits the container or throws. On success the admission owns {@code pidfd} (a pidfd of the init);
     * on failure the listener kills the init through it and closes it.
     *
     * @param peerUid the uid of the process that handed the container over (runc), as SO_PEERCRED reports it
     */
    void admit(RuncSeccompMessage message, int pidfd, int peerUid) throws SeccompMessageException;

    /** Admits everything (a supervisor without a governance service); the listener then opens no pidfd at all. */
    ContainerAdmission NONE = (message, pidfd, peerUid) -> {
        try {
            org.lobstertrap.puzzlepod.core.linux.FileSyscalls.linux().close(pidfd);
        } catch (org.lobstertrap.puzzlepod.core.linux.LinuxException e) {
            // a pidfd that cannot be closed leaks one fd; the container is unaffected
        }
    };
}
