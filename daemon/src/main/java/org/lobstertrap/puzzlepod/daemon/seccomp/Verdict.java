package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.Objects;

/**
 * What a {@link SyscallPolicy} decided about one system call.
 *
 * @param allowed whether the call may run (CONTINUE) or fails with EPERM
 * @param reason  a short explanation for the audit log
 */
public record Verdict(boolean allowed, String reason) {
    public Verdict {
        Objects.requireNonNull(reason, "reason");
    }

    public static Verdict allow(String reason) { return new Verdict(true, reason); }

    public static Verdict deny(String reason) { return new Verdict(false, reason); }
}
