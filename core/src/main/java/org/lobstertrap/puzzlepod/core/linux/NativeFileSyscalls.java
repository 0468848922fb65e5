package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.LONG;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FileSyscalls} on the real kernel through Java FFM (x86_64 Linux, glibc).
 *
 * <p>Every call copies its names into per-thread native buffers (see {@link Scratch}), so the hot
 * calls ({@code fstatat}, {@code openat}, {@code readdir}) allocate no native memory. Calls that can be
 * interrupted by a signal are retried on EINTR; {@code close} is not (on Linux the fd is gone either way).
 * Obtain the instance with {@link FileSyscalls#linux()}.
 */
public final class NativeFileSyscalls implements FileSyscalls {
    private static final NativeFileSyscalls INSTANCE = new NativeFileSyscalls();

    private static final MethodHandle OPEN = Libc.variadic("open", FunctionDescriptor.of(INT, PTR, INT, INT), 2);
    private static final MethodHandle OPENAT =
            Libc.variadic("openat", FunctionDescriptor.of(INT, INT, PTR, INT, INT), 3);
    private static final MethodHandle SYSCALL4 = Libc.SYSCALL4;
    private static final MethodHandle SYSCALL3 = Libc.SYSCALL3;
    private static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle FSTAT = Libc.function("fstat", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle FSTATAT =
            Libc.function("fstatat", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle READLINKAT =
            Libc.function("readlinkat", FunctionDescriptor.of(LONG, INT, PTR, PTR, LONG));
    private static final MethodHandle SYMLINKAT =
            Libc.function("symlinkat", FunctionDescriptor.of(INT, PTR, INT, PTR));
    private static final MethodHandle LINKAT =
            Libc.function("linkat", FunctionDescriptor.of(INT, INT, PTR, INT, PTR, INT));
    private static final MethodHandle MKDIRAT = Libc.function("mkdirat", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle MKNODAT =
            Libc.function("mknodat", FunctionDescriptor.of(INT, INT, PTR, INT, LONG));
    private static final MethodHandle UNLINKAT = Libc.function("unlinkat", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle RENAMEAT2 =
            Libc.function("renameat2", FunctionDescriptor.of(INT, INT, PTR, INT, PTR, INT));
    private static final MethodHandle FCHMOD = Libc.function("fchmod", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle FCHMODAT =
            Libc.function("fchmodat", FunctionDescriptor.of(INT, INT, PTR, INT, INT));
    private static final MethodHandle FCHOWN = Libc.function("fchown", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle FCHOWNAT =
            Libc.function("fchownat", FunctionDescriptor.of(INT, INT, PTR, INT, INT, INT));
    private static final MethodHandle UTIMENSAT =
            Libc.function("utimensat", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle FSYNC = Libc.function("fsync", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle FDATASYNC = Libc.function("fdatasync", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SYNCFS = Libc.function("syncfs", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle READ = Libc.function("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle PREAD =
            Libc.function("pread64", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG));
    private static final MethodHandle WRITE = Libc.function("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle COPY_FILE_RANGE =
            Libc.function("copy_file_range", FunctionDescriptor.of(LONG, INT, PTR, INT, PTR, LONG, INT));
    private static final MethodHandle FTRUNCATE = Libc.function("ftruncate", FunctionDescriptor.of(INT, INT, LONG));
    private static final MethodHandle FGETXATTR =
            Libc.function("fgetxattr", FunctionDescriptor.of(LONG, INT, PTR, PTR, LONG));
    private static final MethodHandle LGETXATTR =
            Libc.function("lgetxattr", FunctionDescriptor.of(LONG, PTR, PTR, PTR, LONG));
    private static final MethodHandle FLISTXATTR =
            Libc.function("flistxattr", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle LLISTXATTR =
            Libc.function("llistxattr", FunctionDescriptor.of(LONG, PTR, PTR, LONG));
    private static final MethodHandle FSETXATTR =
            Libc.function("fsetxattr", FunctionDescriptor.of(INT, INT, PTR, PTR, LONG, INT));
    private static final MethodHandle LSETXATTR =
            Libc.function("lsetxattr", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, INT));
    private static final MethodHandle FREMOVEXATTR =
            Libc.function("fremovexattr", FunctionDescriptor.of(INT, INT, PTR));
    private static final MethodHandle LREMOVEXATTR =
            Libc.function("lremovexattr", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle MOUNT =
            Libc.function("mount", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR));
    private static final MethodHandle UMOUNT2 = Libc.function("umount2", FunctionDescriptor.of(INT, PTR, INT));

    /** The bit of O_TMPFILE (020200000) that is not O_DIRECTORY. */
    private static final int O_TMPFILE_ONLY = 020000000;
    /** sizeof(struct open_how). */
    private static final long OPEN_HOW_SIZE = 24;

    private NativeFileSyscalls() {}

    static NativeFileSyscalls instance() { return INSTANCE; }

    @Override
    public int open(byte[] path, int flags, int mode) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "open");
        int r;
        try {
            do r = (int) OPEN.invokeExact(s.capture, p, flags, mode); while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("open", Names.display(path), s.errno());
        return r;
    }

    @Override
    public int openat(int dirfd, byte[] path, int flags, int mode) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "openat");
        int r;
        try {
            do r = (int) OPENAT.invokeExact(s.capture, dirfd, p, flags, mode);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("openat", Names.display(path), s.errno());
        return r;
    }

    @Override
    public int openat2(int dirfd, byte[] path, int flags, int mode, long resolve) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "openat2");
        MemorySegment how = s.small;
        how.set(LONG, 0, flags & 0xffffffffL);
        // openat2 refuses a mode without O_CREAT/O_TMPFILE (openat ignores it): pass it only where it means something
        boolean creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE_ONLY) != 0;
        how.set(LONG, 8, creates ? mode & 0xffffffffL : 0);
        how.set(LONG, 16, resolve);
        long r;
        try {
            do r = (long) SYSCALL4.invokeExact(s.capture, Libc.SYS_OPENAT2, (long) dirfd, p.address(), how.address(),
                    OPEN_HOW_SIZE);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("openat2", Names.display(path), s.errno());
        return (int) r;
    }

    @Override
    public void close(int fd) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) CLOSE.invokeExact(s.capture, fd); } catch (Throwable t) { throw Libc.rethrow(t); }
        // EINTR after close still means the fd is released on Linux: retrying could close someone else's fd.
        if (r < 0 && s.errno() != Errno.EINTR) throw new LinuxException("close", Names.fd(fd), s.errno());
    }

    @Override
    public FileStat fstat(int fd) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) FSTAT.invokeExact(s.capture, fd, s.small); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fstat", Names.fd(fd), s.errno());
        return decodeStat(s.small);
    }

    @Override
    public FileStat fstatat(int dirfd, byte[] path, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "fstatat");
        int r;
        try { r = (int) FSTATAT.invokeExact(s.capture, dirfd, p, s.small, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fstatat", Names.display(path), s.errno());
        return decodeStat(s.small);
    }

    /** x86_64 {@code struct stat} (144 bytes), decoded by offset. */
    static FileStat decodeStat(MemorySegment st) {
        return new FileStat(st.get(LONG, 0), st.get(LONG, 8), st.get(INT, 24), st.get(LONG, 16),
                st.get(INT, 28), st.get(INT, 32), st.get(LONG, 40), st.get(LONG, 48),
                st.get(LONG, 72), st.get(LONG, 80), st.get(LONG, 88), st.get(LONG, 96),
                st.get(LONG, 104), st.get(LONG, 112));
    }

    @Override
    public List<DirEntry> readdir(int dirfd) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment buf = s.big();
        List<DirEntry> entries = new ArrayList<>();
        while (true) {
            long n;
            try {
                do n = (long) SYSCALL3.invokeExact(s.capture, Libc.SYS_GETDENTS64, (long) dirfd, buf.address(),
                        buf.byteSize());
                while (n < 0 && s.errno() == Errno.EINTR);
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (n < 0) throw new LinuxException("getdents64", Names.fd(dirfd), s.errno());
            if (n == 0) return entries;
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            for (long pos = 0; pos < n; ) {
                long ino = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, pos);
                int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 16));
                int type = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, pos + 18));
                long nameStart = pos + 19;
                long nameEnd = nameStart;
                long limit = pos + reclen;
                while (nameEnd < limit && buf.get(ValueLayout.JAVA_BYTE, nameEnd) != 0) nameEnd++;
                int len = (int) (nameEnd - nameStart);
                boolean dot = len == 1 && buf.get(ValueLayout.JAVA_BYTE, nameStart) == '.';
                boolean dotdot = len == 2 && buf.get(ValueLayout.JAVA_BYTE, nameStart) == '.'
                        && buf.get(ValueLayout.JAVA_BYTE, nameStart + 1) == '.';
                if (!dot && !dotdot) {
                    byte[] name = new byte[len];
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, nameStart, name, 0, len);
                    entries.add(new DirEntry(name, type, ino));
                }
                pos = limit;
            }
        }
    }

    @Override
    public byte[] readlinkat(int dirfd, byte[] path) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "readlinkat");
        MemorySegment buf = s.big();
        long r;
        try { r = (long) READLINKAT.invokeExact(s.capture, dirfd, p, buf, buf.byteSize()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("readlinkat", Names.display(path), s.errno());
        // Link targets are at most PATH_MAX - 1 bytes, far below the buffer: a full buffer cannot happen.
        return buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public void symlinkat(byte[] target, int newdirfd, byte[] linkpath) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment t1 = Scratch.cString(s.path1, target, "symlinkat");
        MemorySegment l = Scratch.cString(s.path2, linkpath, "symlinkat");
        int r;
        try { r = (int) SYMLINKAT.invokeExact(s.capture, t1, newdirfd, l); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("symlinkat", Names.display(linkpath), s.errno());
    }

    @Override
    public void linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment o = Scratch.cString(s.path1, oldpath, "linkat");
        MemorySegment n = Scratch.cString(s.path2, newpath, "linkat");
        int r;
        try { r = (int) LINKAT.invokeExact(s.capture, olddirfd, o, newdirfd, n, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("linkat", twoPaths(oldpath, newpath), s.errno());
    }

    @Override
    public void mkdirat(int dirfd, byte[] path, int mode) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "mkdirat");
        int r;
        try { r = (int) MKDIRAT.invokeExact(s.capture, dirfd, p, mode); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("mkdirat", Names.display(path), s.errno());
    }

    @Override
    public void mknodat(int dirfd, byte[] path, int mode, long dev) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "mknodat");
        int r;
        try { r = (int) MKNODAT.invokeExact(s.capture, dirfd, p, mode, dev); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("mknodat", Names.display(path), s.errno());
    }

    @Override
    public void unlinkat(int dirfd, byte[] path, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "unlinkat");
        int r;
        try { r = (int) UNLINKAT.invokeExact(s.capture, dirfd, p, flags); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("unlinkat", Names.display(path), s.errno());
    }

    @Override
    public void renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment o = Scratch.cString(s.path1, oldpath, "renameat2");
        MemorySegment n = Scratch.cString(s.path2, newpath, "renameat2");
        int r;
        try { r = (int) RENAMEAT2.invokeExact(s.capture, olddirfd, o, newdirfd, n, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("renameat2", twoPaths(oldpath, newpath), s.errno());
    }

    @Override
    public void fchmod(int fd, int mode) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) FCHMOD.invokeExact(s.capture, fd, mode); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fchmod", Names.fd(fd), s.errno());
    }

    @Override
    public void fchmodat(int dirfd, byte[] path, int mode) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "fchmodat");
        int r;
        try { r = (int) FCHMODAT.invokeExact(s.capture, dirfd, p, mode, 0); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fchmodat", Names.display(path), s.errno());
    }

    @Override
    public void fchown(int fd, int uid, int gid) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) FCHOWN.invokeExact(s.capture, fd, uid, gid); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fchown", Names.fd(fd), s.errno());
    }

    @Override
    public void fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "fchownat");
        int r;
        try { r = (int) FCHOWNAT.invokeExact(s.capture, dirfd, p, uid, gid, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fchownat", Names.display(path), s.errno());
    }

    @Override
    public void utimensat(int dirfd, byte[] path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                          int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "utimensat");
        MemorySegment times = s.small;
        times.set(LONG, 0, atimeSec);
        times.set(LONG, 8, atimeNsec);
        times.set(LONG, 16, mtimeSec);
        times.set(LONG, 24, mtimeNsec);
        // An empty name means "the fd itself": glibc refuses a NULL name, the kernel takes "" with AT_EMPTY_PATH.
        int effectiveFlags = path.length == 0 ? flags | AT_EMPTY_PATH : flags;
        int r;
        try { r = (int) UTIMENSAT.invokeExact(s.capture, dirfd, p, times, effectiveFlags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("utimensat", path.length == 0 ? Names.fd(dirfd) : Names.display(path), s.errno());
    }

    @Override
    public void fsync(int fd) throws LinuxException { syncCall(FSYNC, "fsync", fd); }

    @Override
    public void fdatasync(int fd) throws LinuxException { syncCall(FDATASYNC, "fdatasync", fd); }

    @Override
    public void syncfs(int fd) throws LinuxException { syncCall(SYNCFS, "syncfs", fd); }

    private static void syncCall(MethodHandle handle, String call, int fd) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try {
            do r = (int) handle.invokeExact(s.capture, fd); while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException(call, Names.fd(fd), s.errno());
    }

    @Override
    public long read(int fd, MemorySegment buffer, long count) throws LinuxException {
        checkBuffer(buffer, count, "read");
        Scratch s = Scratch.get();
        long r;
        try {
            do r = (long) READ.invokeExact(s.capture, fd, buffer, count); while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("read", Names.fd(fd), s.errno());
        return r;
    }

    @Override
    public long pread(int fd, MemorySegment buffer, long count, long offset) throws LinuxException {
        checkBuffer(buffer, count, "pread");
        Scratch s = Scratch.get();
        long r;
        try {
            do r = (long) PREAD.invokeExact(s.capture, fd, buffer, count, offset);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("pread", Names.fd(fd), s.errno());
        return r;
    }

    @Override
    public long write(int fd, MemorySegment buffer, long count) throws LinuxException {
        checkBuffer(buffer, count, "write");
        Scratch s = Scratch.get();
        long r;
        try {
            do r = (long) WRITE.invokeExact(s.capture, fd, buffer, count); while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("write", Names.fd(fd), s.errno());
        return r;
    }

    /** The kernel would read or write past a segment shorter than count: refuse before calling. */
    private static void checkBuffer(MemorySegment buffer, long count, String call) {
        if (!buffer.isNative())
            throw new IllegalArgumentException(call + ": the buffer must be a native memory segment");
        if (count < 0 || count > buffer.byteSize())
            throw new IllegalArgumentException(call + ": count " + count + " outside the buffer of "
                    + buffer.byteSize() + " bytes");
    }

    @Override
    public long copyFileRange(int fdIn, int fdOut, long count) throws LinuxException {
        Scratch s = Scratch.get();
        long r;
        try {
            do r = (long) COPY_FILE_RANGE.invokeExact(s.capture, fdIn, MemorySegment.NULL, fdOut, MemorySegment.NULL,
                    count, 0);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("copy_file_range", Names.fd(fdIn) + " -> " + Names.fd(fdOut), s.errno());
        return r;
    }

    @Override
    public void ftruncate(int fd, long length) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try {
            do r = (int) FTRUNCATE.invokeExact(s.capture, fd, length); while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("ftruncate", Names.fd(fd), s.errno());
    }

    // ---- extended attributes: names are text ("trusted.overlay.opaque"), values raw bytes ----

    @Override
    public byte[] fgetxattr(int fd, String name) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment n = xattrName(s.path2, name, "fgetxattr");
        MemorySegment buf = s.big();
        long r;
        try { r = (long) FGETXATTR.invokeExact(s.capture, fd, n, buf, buf.byteSize()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        return xattrValue(r, s, "fgetxattr", Names.fd(fd), name);
    }

    @Override
    public byte[] lgetxattr(byte[] path, String name) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "lgetxattr");
        MemorySegment n = xattrName(s.path2, name, "lgetxattr");
        MemorySegment buf = s.big();
        long r;
        try { r = (long) LGETXATTR.invokeExact(s.capture, p, n, buf, buf.byteSize()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        return xattrValue(r, s, "lgetxattr", Names.display(path), name);
    }

    private static byte[] xattrValue(long r, Scratch s, String call, String subject, String name) throws LinuxException {
        if (r < 0) {
            int errno = s.errno();
            if (errno == Errno.ENODATA) return null;
            throw new LinuxException(call, subject + ", " + name, errno);
        }
        return s.big().asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public List<String> flistxattr(int fd) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment buf = s.big();
        long r;
        try { r = (long) FLISTXATTR.invokeExact(s.capture, fd, buf, buf.byteSize()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("flistxattr", Names.fd(fd), s.errno());
        return splitNames(buf, r);
    }

    @Override
    public List<String> llistxattr(byte[] path) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "llistxattr");
        MemorySegment buf = s.big();
        long r;
        try { r = (long) LLISTXATTR.invokeExact(s.capture, p, buf, buf.byteSize()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("llistxattr", Names.display(path), s.errno());
        return splitNames(buf, r);
    }

    /** The list is NUL-separated names, each NUL-terminated. */
    private static List<String> splitNames(MemorySegment buf, long length) {
        List<String> names = new ArrayList<>();
        byte[] all = buf.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                if (i > start) names.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    @Override
    public void fsetxattr(int fd, String name, byte[] value, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment n = xattrName(s.path2, name, "fsetxattr");
        MemorySegment v = xattrValueSegment(s, value, "fsetxattr", Names.fd(fd));
        int r;
        try { r = (int) FSETXATTR.invokeExact(s.capture, fd, n, v, (long) value.length, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fsetxattr", Names.fd(fd) + ", " + name, s.errno());
    }

    @Override
    public void lsetxattr(byte[] path, String name, byte[] value, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "lsetxattr");
        MemorySegment n = xattrName(s.path2, name, "lsetxattr");
        MemorySegment v = xattrValueSegment(s, value, "lsetxattr", Names.display(path));
        int r;
        try { r = (int) LSETXATTR.invokeExact(s.capture, p, n, v, (long) value.length, flags); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("lsetxattr", Names.display(path) + ", " + name, s.errno());
    }

    private static MemorySegment xattrValueSegment(Scratch s, byte[] value, String call, String subject)
            throws LinuxException {
        // XATTR_SIZE_MAX: the kernel refuses larger values with E2BIG; say so without calling.
        if (value.length > Scratch.BIG) throw new LinuxException(call, subject, Errno.E2BIG);
        MemorySegment v = s.big();
        MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
        return v;
    }

    @Override
    public void fremovexattr(int fd, String name) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment n = xattrName(s.path2, name, "fremovexattr");
        int r;
        try { r = (int) FREMOVEXATTR.invokeExact(s.capture, fd, n); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("fremovexattr", Names.fd(fd) + ", " + name, s.errno());
    }

    @Override
    public void lremovexattr(byte[] path, String name) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment p = Scratch.cString(s.path1, path, "lremovexattr");
        MemorySegment n = xattrName(s.path2, name, "lremovexattr");
        int r;
        try { r = (int) LREMOVEXATTR.invokeExact(s.capture, p, n); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("lremovexattr", Names.display(path) + ", " + name, s.errno());
    }

    private static MemorySegment xattrName(MemorySegment buffer, String name, String call) throws LinuxException {
        return Scratch.cString(buffer, name.getBytes(StandardCharsets.UTF_8), call);
    }

    // ---- mounts: rare, so a confined arena per call is fine ----

    @Override
    public void mount(String source, byte[] target, String fstype, long flags, String data) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment t = Scratch.cString(s.path1, target, "mount");
        int r;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = source == null ? MemorySegment.NULL : arena.allocateFrom(source);
            MemorySegment type = fstype == null ? MemorySegment.NULL : arena.allocateFrom(fstype);
            MemorySegment opts = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            r = (int) MOUNT.invokeExact(s.capture, src, t, type, flags, opts);
        } catch (Throwable e) { throw Libc.rethrow(e); }
        if (r < 0) throw new LinuxException("mount", Names.display(target), s.errno());
    }

    @Override
    public void umount2(byte[] target, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment t = Scratch.cString(s.path1, target, "umount2");
        int r;
        try { r = (int) UMOUNT2.invokeExact(s.capture, t, flags); } catch (Throwable e) { throw Libc.rethrow(e); }
        if (r < 0) throw new LinuxException("umount2", Names.display(target), s.errno());
    }

    private static String twoPaths(byte[] a, byte[] b) { return Names.display(a) + " -> " + Names.display(b); }
}
