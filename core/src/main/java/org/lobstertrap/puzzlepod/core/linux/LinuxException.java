package org.lobstertrap.puzzlepod.core.linux;

import java.io.IOException;

/**
 * A failed system call: which call, on what, and the errno it returned.
 * The message is meant for a person ("renameat2(base/a.txt): No such file or directory (ENOENT)");
 * {@link #errno()} is meant for a program.
 */
public class LinuxException extends IOException {
    private final int errno;
    private final String call;
    private final String subject;

    public LinuxException(String call, String subject, int errno) {
        super(call + (subject == null ? "" : "(" + subject + ")") + ": " + Errno.describe(errno));
        this.errno = errno;
        this.call = call;
        this.subject = subject;
    }

    /** The positive errno value (ENOENT = 2, …). */
    public int errno() { return errno; }

    /** The system call that failed, e.g. {@code "renameat2"}. */
    public String call() { return call; }

    /** What the call acted on (a path in display form, an fd), or null. */
    public String subject() { return subject; }

    public boolean is(int expectedErrno) { return errno == expectedErrno; }
}
