package org.lobstertrap.puzzlepod.daemon.seccomp;

/** Picks the syscall policy of each container handed to the listener. */
@FunctionalInterface
public interface ContainerPolicies {
    /**
     * The policy for {@code container}, or null to refuse it.
     *
     * @param roots the container's exec path resolver (for paths the policy resolves up front, such as the
     *              writable locations); owned by the listener, not to be closed here
     */
    SyscallPolicy policyFor(GovernedContainer container, RootResolver roots);
}
