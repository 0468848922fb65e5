package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * {@link TreeRemover} on raw system calls: names are bytes, so entries an agent created with any name
 * (non-UTF-8, newlines) are removed too, and every step is relative to an open directory fd that was
 * opened without following symlinks, so a swapped-in symlink cannot redirect the deletion.
 */
public final class RawTreeRemover implements TreeRemover {
    private static final int DIR_FLAGS = FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
            | FileSyscalls.O_CLOEXEC;
    private final FileSyscalls sys;

    public RawTreeRemover(FileSyscalls sys) { this.sys = sys; }

    @Override
    public void removeTree(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) throw new IOException("refusing to remove the file-system root");
        Charset cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        int parentFd;
        try {
            parentFd = sys.open(parent.toString().getBytes(cs), DIR_FLAGS, 0);
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT)) return;
            throw e;
        }
        try {
            removeEntry(parentFd, abs.getFileName().toString().getBytes(cs), true);
        } finally {
            sys.close(parentFd);
        }
    }

    /** Removes {@code name} in {@code dirFd}, recursing when it is a directory. */
    private void removeEntry(int dirFd, byte[] name, boolean maybeDir) throws LinuxException {
        if (!maybeDir) {
            try {
                sys.unlinkat(dirFd, name, 0);
                return;
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT)) return;
                if (!e.is(Errno.EISDIR) && !e.is(Errno.EPERM)) throw e;
            }
        }
        int fd;
        try {
            fd = openDir(dirFd, name);
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT)) return;
            if (e.is(Errno.ENOTDIR) || e.is(Errno.ELOOP)) { // not a directory after all
                unlinkQuietlyMissing(dirFd, name, 0);
                return;
            }
            throw e;
        }
        try {
            for (DirEntry entry : sys.readdir(fd)) {
                int t = entry.type();
                removeEntry(fd, entry.name(), t == DirEntry.DT_DIR || t == DirEntry.DT_UNKNOWN);
            }
        } finally {
            sys.close(fd);
        }
        unlinkQuietlyMissing(dirFd, name, FileSyscalls.AT_REMOVEDIR);
    }

    /**
     * Opens a directory to empty it. The kernel overlay makes its work dir's {@code work} with mode 0; root opens
     * it anyway, its owner (a per-user daemon, for a rootless container's branch) first gives itself rwx.
     */
    private int openDir(int dirFd, byte[] name) throws LinuxException {
        try {
            return sys.openat(dirFd, name, DIR_FLAGS, 0);
        } catch (LinuxException e) {
            if (!e.is(Errno.EACCES)) throw e;
            sys.fchmodat(dirFd, name, 0700);
            return sys.openat(dirFd, name, DIR_FLAGS, 0);
        }
    }

    private void unlinkQuietlyMissing(int dirFd, byte[] name, int flags) throws LinuxException {
        try {
            sys.unlinkat(dirFd, name, flags);
        } catch (LinuxException e) {
            if (!e.is(Errno.ENOENT)) throw e;
        }
    }
}
