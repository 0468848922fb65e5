package org.lobstertrap.puzzlepod.daemon.seccomp;

/**
 * Resolves exec paths inside the root of a container's process, the way the supervisor judges them:
 * {@code openat2(RESOLVE_IN_ROOT)} beneath {@code /proc/PID/root} (absolute symlinks and ".." stay in that
 * root), and the result named as the container's mount namespace names it. The daemon does this itself
 * ({@link #direct()}) where it may look into the container's root; a rootless container's root is a FUSE
 * mount only its own user namespace may use, so there a {@link ResolverProcess} does it
 * ({@link RootResolvers} picks).
 */
public interface RootResolver extends AutoCloseable {
    /**
     * {@code path} (absolute) resolved inside the root of process {@code pid} (host pid), or null when it
     * cannot be resolved: no such file or process, or no resolver available (callers fail closed).
     */
    String resolve(int pid, String path);

    /**
     * What an exec needs: {@code path} resolved and, when the call goes through a symlink (the resolved
     * file's name differs from the called one), the directory holding that symlink resolved too, for
     * {@link ExecRequest#nameDirectory()}. Returns {@code [file, directory]}, each null when unresolvable
     * or not needed.
     */
    default String[] resolveExec(int pid, String path) {
        String file = resolve(pid, path);
        String dir = null;
        if (file != null && !ExecRequest.basename(path).equals(ExecRequest.basename(file))) {
            String parent = ExecRequest.parent(path);
            dir = parent == null ? null : resolve(pid, parent);
        }
        return new String[] {file, dir};
    }

    /** Releases what this resolver holds (nothing for {@link #direct()}); idempotent. */
    @Override
    default void close() {}

    /** The daemon's own resolution: {@code open(/proc/PID/root)} + {@code openat2} + {@code readlink}. */
    static RootResolver direct() { return ProcRootResolver.INSTANCE; }
}
