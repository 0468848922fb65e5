package org.lobstertrap.puzzlepod.daemon.commit;

import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/** Small fd-relative file-tree operations the committer needs; never follows symlinks. */
final class FileTrees {
    private FileTrees() {}

    /** lstat of {@code name} in {@code dirFd}, or null when it does not exist. */
    static FileStat lstatOrNull(FileSyscalls sys, int dirFd, byte[] name) throws LinuxException {
        try {
            return sys.fstatat(dirFd, name, FileSyscalls.AT_SYMLINK_NOFOLLOW);
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT)) return null;
            throw e;
        }
    }

    /** Removes {@code name} in {@code dirFd} and everything beneath it; absent is fine. */
    static void removeTree(FileSyscalls sys, int dirFd, byte[] name) throws LinuxException {
        FileStat st = lstatOrNull(sys, dirFd, name);
        if (st == null) return;
        if (st.isDirectory()) {
            int fd = sys.openat(dirFd, name, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
                    | FileSyscalls.O_CLOEXEC, 0);
            try {
                removeChildren(sys, fd);
            } finally {
                sys.close(fd);
            }
            sys.unlinkat(dirFd, name, FileSyscalls.AT_REMOVEDIR);
        } else {
            sys.unlinkat(dirFd, name, 0);
        }
    }

    /** Empties the open directory {@code fd}. */
    static void removeChildren(FileSyscalls sys, int fd) throws LinuxException {
        for (DirEntry e : sys.readdir(fd)) {
            if (e.type() == DirEntry.DT_DIR || e.type() == DirEntry.DT_UNKNOWN) {
                removeTree(sys, fd, e.name());
            } else {
                try {
                    sys.unlinkat(fd, e.name(), 0);
                } catch (LinuxException ex) {
                    if (!ex.is(Errno.ENOENT)) throw ex;
                }
            }
        }
    }
}
