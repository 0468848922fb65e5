package org.lobstertrap.puzzlepod.core.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native memory one thread reuses for every call: the errno capture, two path buffers, a small struct
 * buffer and (allocated on first need) a 64 KiB buffer for directory listings, xattr values and link
 * targets. The file-system calls run once per file in the diff and commit loops, so they must not
 * allocate native memory per call. A thread's scratch is freed by the GC after the thread ends.
 *
 * <p>Calls never nest, so one set per thread is enough; nothing here may escape the call that filled it.
 */
final class Scratch {
    /** Linux PATH_MAX, counting the trailing NUL. */
    static final int PATH_MAX = 4096;
    /** XATTR_SIZE_MAX and XATTR_LIST_MAX. */
    static final int BIG = 65536;

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private final Arena arena = Arena.ofAuto();
    final MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
    final MemorySegment path1 = arena.allocate(PATH_MAX, 8);
    final MemorySegment path2 = arena.allocate(PATH_MAX, 8);
    /** Large enough for struct stat (144), open_how (24), two timespecs (32), seccomp structs (80). */
    final MemorySegment small = arena.allocate(256, 8);
    private MemorySegment big;

    static Scratch get() { return PER_THREAD.get(); }

    int errno() { return Libc.errno(capture); }

    MemorySegment big() {
        if (big == null) big = arena.allocate(BIG, 8);
        return big;
    }

    /**
     * Copies {@code name} NUL-terminated into {@code buffer}. A name with a NUL byte cannot be passed to
     * the kernel without being cut short, so it is refused (EINVAL) rather than silently truncated; one
     * that cannot fit PATH_MAX gets the ENAMETOOLONG the kernel would give.
     */
    static MemorySegment cString(MemorySegment buffer, byte[] name, String call) throws LinuxException {
        if (name.length >= PATH_MAX) throw new LinuxException(call, Names.display(name), Errno.ENAMETOOLONG);
        for (byte b : name) {
            if (b == 0) throw new LinuxException(call, Names.display(name) + " (contains a NUL byte)", Errno.EINVAL);
        }
        MemorySegment.copy(name, 0, buffer, ValueLayout.JAVA_BYTE, 0, name.length);
        buffer.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
        return buffer;
    }
}
