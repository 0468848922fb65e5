package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * An execve/execveat as read from the calling process.
 *
 * @param path         the path as passed (resolved against the cwd / dirfd when relative)
 * @param resolvedPath the path with every symlink resolved inside the container's root, or of the
 *                     caller's current executable for a {@code /proc/self/exe} re-exec; null if unresolvable
 * @param argv         the arguments (bounded in count and length, see {@link #truncated})
 * @param selfReexec   the path named the caller's own executable ({@code /proc/self/exe})
 * @param truncated    argv was longer than the supervisor reads, or an argument was cut short
 */
public record ExecRequest(String path, String resolvedPath, List<String> argv, boolean selfReexec, boolean truncated) {
    public ExecRequest {
        Objects.requireNonNull(path, "path");
        argv = List.copyOf(argv);
    }

    /** argv[0], or null when argv is empty. */
    public String argv0() { return argv.isEmpty() ? null : argv.getFirst(); }

    /** The last component of {@code path} (the whole path if it has no slash). */
    public static String basename(String path) {
        if (path == null) return null;
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        int slash = p.lastIndexOf('/');
        return slash < 0 || p.equals("/") ? p : p.substring(slash + 1);
    }
}
