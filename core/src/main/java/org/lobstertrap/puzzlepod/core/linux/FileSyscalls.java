package org.lobstertrap.puzzlepod.core.linux;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The file-system system calls the branch core needs, fd-relative and with raw-byte names, so that
 * hostile names (newlines, non-UTF-8, 255-byte components) round-trip exactly and a path can be
 * resolved beneath a directory without following symlinks out of it.
 *
 * <p>Names are {@code byte[]} without a trailing NUL; a {@code path} argument may contain '/'.
 * Every method throws {@link LinuxException} with the errno on failure. Implementations:
 * {@link NativeFileSyscalls} (Java FFM on the real kernel); tests may hand in fakes.
 */
public interface FileSyscalls {
    // open(2) flags (x86_64 / generic values)
    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400,
            O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    /** The fd value meaning "relative to the current directory" for *at calls. */
    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
    /** renameat2 flags. */
    int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
    /** openat2 resolve flags. */
    long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    /** utimensat special nanosecond value: leave this time unchanged. */
    long UTIME_OMIT = (1L << 30) - 2;

    int open(byte[] path, int flags, int mode) throws LinuxException;
    int openat(int dirfd, byte[] path, int flags, int mode) throws LinuxException;
    /** openat2(2) with {@code struct open_how}; e.g. RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS to stay inside dirfd. */
    int openat2(int dirfd, byte[] path, int flags, int mode, long resolve) throws LinuxException;
    void close(int fd) throws LinuxException;

    FileStat fstat(int fd) throws LinuxException;
    /** fstatat(2); pass AT_SYMLINK_NOFOLLOW for lstat semantics, AT_EMPTY_PATH with an empty name for the fd itself. */
    FileStat fstatat(int dirfd, byte[] path, int flags) throws LinuxException;

    /** All entries of an open directory fd (getdents64), without "." and "..". The fd's offset is consumed. */
    List<DirEntry> readdir(int dirfd) throws LinuxException;

    byte[] readlinkat(int dirfd, byte[] path) throws LinuxException;
    void symlinkat(byte[] target, int newdirfd, byte[] linkpath) throws LinuxException;
    void linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LinuxException;
    void mkdirat(int dirfd, byte[] path, int mode) throws LinuxException;
    void mknodat(int dirfd, byte[] path, int mode, long dev) throws LinuxException;
    void unlinkat(int dirfd, byte[] path, int flags) throws LinuxException;
    void renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LinuxException;

    void fchmod(int fd, int mode) throws LinuxException;
    /** fchmodat(2); symlinks have no mode of their own on Linux, so there is no NOFOLLOW variant. */
    void fchmodat(int dirfd, byte[] path, int mode) throws LinuxException;
    void fchown(int fd, int uid, int gid) throws LinuxException;
    void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LinuxException;
    /** utimensat(2) with atime and mtime (seconds, nanoseconds); flags may hold AT_SYMLINK_NOFOLLOW. */
    void utimensat(int dirfd, byte[] path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, int flags)
            throws LinuxException;

    void fsync(int fd) throws LinuxException;
    void fdatasync(int fd) throws LinuxException;
    /** syncfs(2): flush the whole file system that holds fd. */
    void syncfs(int fd) throws LinuxException;

    /** read(2) into a native segment; returns bytes read, 0 at end of file. */
    long read(int fd, MemorySegment buffer, long count) throws LinuxException;
    /** pread(2). */
    long pread(int fd, MemorySegment buffer, long count, long offset) throws LinuxException;
    /** write(2); returns bytes written (may be short). */
    long write(int fd, MemorySegment buffer, long count) throws LinuxException;
    /** copy_file_range(2) from the current offsets; returns bytes copied, 0 at end of input. */
    long copyFileRange(int fdIn, int fdOut, long count) throws LinuxException;
    void ftruncate(int fd, long length) throws LinuxException;

    /** fgetxattr(2); null when the attribute does not exist (ENODATA). */
    byte[] fgetxattr(int fd, String name) throws LinuxException;
    /** lgetxattr(2) on a path (does not follow a final symlink); null when absent. */
    byte[] lgetxattr(byte[] path, String name) throws LinuxException;
    List<String> flistxattr(int fd) throws LinuxException;
    List<String> llistxattr(byte[] path) throws LinuxException;
    void fsetxattr(int fd, String name, byte[] value, int flags) throws LinuxException;
    void lsetxattr(byte[] path, String name, byte[] value, int flags) throws LinuxException;
    void fremovexattr(int fd, String name) throws LinuxException;
    void lremovexattr(byte[] path, String name) throws LinuxException;

    /** mount(2); data may be null. */
    void mount(String source, byte[] target, String fstype, long flags, String data) throws LinuxException;
    /** umount2(2). MNT_DETACH = 2. */
    void umount2(byte[] target, int flags) throws LinuxException;

    /** The process-wide default implementation on the real kernel. */
    static FileSyscalls linux() { return NativeFileSyscalls.instance(); }
}
