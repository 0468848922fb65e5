package org.lobstertrap.puzzlepod.daemon.commit;

import java.util.HashMap;
import java.util.Map;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * Open {@code O_PATH} handles of directories beneath one root, each resolved with
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV}: a symlink anywhere on the way
 * (absolute or leading outside) or a mount point makes the lookup fail instead of leaving the root or
 * its file system (where renames would no longer be atomic). Handles are cached per directory
 * because a changeset touches many entries of few directories.
 */
final class DirectoryHandles implements AutoCloseable {
    static final long RESOLVE = FileSyscalls.RESOLVE_BENEATH | FileSyscalls.RESOLVE_NO_SYMLINKS
            | FileSyscalls.RESOLVE_NO_MAGICLINKS | FileSyscalls.RESOLVE_NO_XDEV;

    private final FileSyscalls sys;
    private final int rootFd;
    private final Map<RelPath, Integer> open = new HashMap<>();

    DirectoryHandles(FileSyscalls sys, int rootFd) {
        this.sys = sys;
        this.rootFd = rootFd;
    }

    int root() { return rootFd; }

    /** The handle of {@code dir} (null: the root itself). Owned by this cache. */
    int directory(RelPath dir) throws LinuxException {
        if (dir == null) return rootFd;
        Integer fd = open.get(dir);
        if (fd == null) {
            fd = sys.openat2(rootFd, dir.bytes(), FileSyscalls.O_PATH | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC,
                    0, RESOLVE);
            open.put(dir, fd);
        }
        return fd;
    }

    /** The handle of the directory that holds {@code path}. */
    int parentOf(RelPath path) throws LinuxException { return directory(path.parent()); }

    @Override public void close() {
        for (int fd : open.values()) {
            try { sys.close(fd); } catch (LinuxException ignored) { /* a close error cannot lose data here: O_PATH */ }
        }
        open.clear();
    }
}
