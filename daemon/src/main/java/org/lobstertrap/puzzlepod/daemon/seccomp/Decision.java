package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.time.Instant;
import java.util.Objects;

/**
 * One answered system call, for the audit log.
 *
 * @param time        when it was answered
 * @param containerId the container
 * @param branchId    the branch (from runc's listener metadata)
 * @param pid         the calling thread (host pid namespace)
 * @param syscall     {@code execve}, {@code execveat} or {@code connect}
 * @param subject     what the call was about: the exec path and argv, or the connect destination
 * @param allowed     CONTINUE (true) or EPERM (false)
 * @param reason      why
 */
public record Decision(Instant time, String containerId, String branchId, int pid, String syscall, String subject,
                       boolean allowed, String reason) {
    public Decision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reason, "reason");
    }
}
