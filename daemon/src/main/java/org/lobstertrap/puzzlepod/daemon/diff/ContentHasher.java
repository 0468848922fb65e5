package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a file read through {@link FileSyscalls#read}, optionally compared byte for byte with a
 * second file in the same pass (so an unchanged copy-up costs one read of each side and no second
 * hash). Buffers are allocated once and reused; not thread-safe.
 */
final class ContentHasher implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private static final HexFormat HEX = HexFormat.of();

    private final FileSyscalls sys;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment upperBuf = arena.allocate(BUFFER, 4096);
    private final MemorySegment baseBuf = arena.allocate(BUFFER, 4096);
    private final byte[] heap = new byte[BUFFER];
    private final MessageDigest sha256;

    /** Outcome of hashing: the hex checksum, the bytes read, and whether the other file had the same bytes. */
    record Result(String checksum, long bytes, boolean sameAsOther) {}

    /** Which file a read failed on, so the caller can name it. */
    static final class ReadFailure extends Exception {
        final boolean onBase;
        final LinuxException cause;
        ReadFailure(boolean onBase, LinuxException cause) { super(cause); this.onBase = onBase; this.cause = cause; }
    }

    ContentHasher(FileSyscalls sys) {
        this.sys = sys;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /**
     * Hashes {@code fd} to its end; when {@code otherFd >= 0}, also reads {@code otherFd} alongside and
     * reports whether its bytes are identical (the caller has checked both have the same size).
     */
    Result hash(int fd, int otherFd) throws ReadFailure {
        sha256.reset();
        boolean same = otherFd >= 0;
        long total = 0;
        while (true) {
            long n;
            try {
                n = sys.read(fd, upperBuf, BUFFER);
            } catch (LinuxException e) {
                throw new ReadFailure(false, e);
            }
            if (n <= 0) break;
            MemorySegment.copy(upperBuf, ValueLayout.JAVA_BYTE, 0, heap, 0, (int) n);
            sha256.update(heap, 0, (int) n);
            if (same) same = sameBytes(otherFd, n);
            total += n;
        }
        if (same) same = atEnd(otherFd);
        return new Result(HEX.formatHex(sha256.digest()), total, same);
    }

    /** Reads exactly {@code n} bytes of the other file and compares them with the upper buffer. */
    private boolean sameBytes(int otherFd, long n) throws ReadFailure {
        long got = 0;
        try {
            while (got < n) {
                long r = sys.read(otherFd, baseBuf.asSlice(got), n - got);
                if (r <= 0) return false;
                got += r;
            }
        } catch (LinuxException e) {
            throw new ReadFailure(true, e);
        }
        return MemorySegment.mismatch(upperBuf, 0, n, baseBuf, 0, n) == -1;
    }

    private boolean atEnd(int otherFd) throws ReadFailure {
        try {
            return sys.read(otherFd, baseBuf, 1) == 0;
        } catch (LinuxException e) {
            throw new ReadFailure(true, e);
        }
    }

    @Override public void close() { arena.close(); }
}
