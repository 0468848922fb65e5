package org.lobstertrap.puzzlepod.daemon.seccomp;

/**
 * Decides intercepted system calls of one container. Called on the supervisor's single thread while
 * the caller is blocked: implementations must be quick and must not block.
 */
public interface SyscallPolicy {
    /** execve(2) / execveat(2). */
    Verdict decideExec(GovernedContainer container, ExecRequest request);

    /** connect(2). */
    Verdict decideConnect(GovernedContainer container, ConnectTarget target);
}
