package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.nio.charset.StandardCharsets;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * {@link RootResolver#direct()}: the daemon resolves in the caller's root itself. {@code /proc/PID/root} is
 * opened for every call (not cached): a process that chrooted has another root.
 */
final class ProcRootResolver implements RootResolver {
    static final ProcRootResolver INSTANCE = new ProcRootResolver();
    private static final FileSyscalls SYS = FileSyscalls.linux();
    private static final int AT_FDCWD = -100;

    private ProcRootResolver() {}

    @Override
    public String resolve(int pid, String path) {
        int root = openRoot(pid);
        if (root < 0) return null;
        try {
            return resolveIn(root, path);
        } finally {
            close(root);
        }
    }

    /** Both resolutions beneath one open of the root (the common busybox case needs both). */
    @Override
    public String[] resolveExec(int pid, String path) {
        int root = openRoot(pid);
        if (root < 0) return new String[] {null, null};
        try {
            String file = resolveIn(root, path);
            String dir = null;
            if (file != null && !ExecRequest.basename(path).equals(ExecRequest.basename(file))) {
                String parent = ExecRequest.parent(path);
                dir = parent == null ? null : resolveIn(root, parent);
            }
            return new String[] {file, dir};
        } finally {
            close(root);
        }
    }

    private static int openRoot(int pid) {
        try {
            return SYS.open(("/proc/" + pid + "/root").getBytes(StandardCharsets.UTF_8),
                    FileSyscalls.O_PATH | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            return -1;
        }
    }

    private static String resolveIn(int root, String path) {
        try {
            int f = SYS.openat2(root, path.getBytes(StandardCharsets.UTF_8), FileSyscalls.O_PATH | FileSyscalls.O_CLOEXEC, 0,
                    FileSyscalls.RESOLVE_IN_ROOT);
            try {
                // named from outside the container's mount namespace: the path from that namespace's root
                return new String(SYS.readlinkat(AT_FDCWD, ("/proc/self/fd/" + f).getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8);
            } finally {
                close(f);
            }
        } catch (LinuxException e) {
            return null;
        }
    }

    private static void close(int fd) {
        try { SYS.close(fd); } catch (LinuxException e) { System.getLogger(ProcRootResolver.class.getName()).log(System.Logger.Level.WARNING, e.getMessage()); }
    }

    @Override
    public String toString() { return "direct resolution"; }
}
