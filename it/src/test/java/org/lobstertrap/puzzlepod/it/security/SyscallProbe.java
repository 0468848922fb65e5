package org.lobstertrap.puzzlepod.it.security;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.it.GovernedStack;

/**
 * The static syscall probe ({@code security/syscall-probe.c}), built with {@code gcc -static} at test time:
 * the test image is scratch + busybox, which has no applet for bpf, io_uring, keyctl, perf_event_open,
 * kexec or ptrace.
 */
final class SyscallProbe {
    private SyscallProbe() {}

    /** Compiles the probe into {@code dir}; fails with what is missing when gcc or static libc is absent. */
    static Path build(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path source = dir.resolve("syscall-probe.c");
        try (InputStream in = SyscallProbe.class.getResourceAsStream("/security/syscall-probe.c")) {
            if (in == null) throw new AssertionError("security/syscall-probe.c is missing from the test class path");
            Files.copy(in, source);
        }
        Path binary = dir.resolve("syscall-probe");
        GovernedStack.Result r;
        try {
            r = GovernedStack.exec(List.of("gcc", "-static", "-O2", "-Wall", "-o", binary.toString(), source.toString()), Map.of());
        } catch (java.io.IOException e) {
            throw new AssertionError("gcc is needed to build the static syscall probe and could not be run: " + e.getMessage(), e);
        }
        if (r.status() != 0) throw new AssertionError("gcc -static could not build the syscall probe (static glibc missing?): " + r.both());
        return binary;
    }
}
