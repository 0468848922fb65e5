package org.lobstertrap.puzzlepod.it.security;

import java.util.List;

/**
 * One escape attempt run inside a governed container: a shell command and the texts its output must
 * contain (or, with {@link #exactly}, the one line it must be).
 *
 * @param id       short name, unique within one run
 * @param command  busybox shell text, run in a subshell with stderr joined to stdout
 * @param stopper  what stops it (for the report)
 * @param expected every text the output must contain; with {@code exact}, the whole trimmed output
 * @param exact    whether {@code expected} is the single, whole output
 */
record Attempt(String id, String command, String stopper, List<String> expected, boolean exact) {

    static Attempt of(String id, String command, String stopper, String... expected) {
        return new Attempt(id, command, stopper, List.of(expected), false);
    }

    static Attempt exactly(String id, String command, String stopper, String output) {
        return new Attempt(id, command, stopper, List.of(output), true);
    }

    /** A system call made by the static probe in the workspace; it prints "NAME ERRNO". */
    static Attempt syscall(String name, String errno, String stopper) {
        return exactly("syscall " + name, EscapeRun.PROBE + " " + name, stopper, name.replaceFirst(":.*", "") + " " + errno);
    }
}
