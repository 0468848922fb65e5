package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * An execve/execveat as read from the calling process.
 *
 * @param path          the path as passed (resolved against the cwd / dirfd when relative)
 * @param resolvedPath  the path with every symlink resolved inside the container's root, or of the
 *                      caller's current executable for a {@code /proc/self/exe} re-exec; null if unresolvable
 * @param argv          the arguments (bounded in count and length, see {@link #truncated})
 * @param selfReexec    the path named the caller's own executable ({@code /proc/self/exe})
 * @param truncated     argv was longer than the supervisor reads, or an argument was cut short
 * @param nameDirectory when the last component of {@code path} is a symlink (its name differs from the
 *                      resolved file's): the directory holding that symlink, resolved inside the container's
 *                      root; null otherwise or when unresolvable
 */
public record ExecRequest(String path, String resolvedPath, List<String> argv, boolean selfReexec, boolean truncated,
                          String nameDirectory) {
    public ExecRequest {
        Objects.requireNonNull(path, "path");
        argv = List.copyOf(argv);
    }

    /** A request whose name's directory is unknown. */
    public ExecRequest(String path, String resolvedPath, List<String> argv, boolean selfReexec, boolean truncated) {
        this(path, resolvedPath, argv, selfReexec, truncated, null);
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

    /** {@code path} without its last component ("/" for a top-level name), or null without a slash. */
    public static String parent(String path) {
        if (path == null) return null;
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        int slash = p.lastIndexOf('/');
        return slash < 0 ? null : slash == 0 ? "/" : p.substring(0, slash);
    }
}
