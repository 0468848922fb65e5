package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.LONG;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Batched reads of another process's memory: up to {@link #MAX_RANGES} ranges in ONE process_vm_readv(2),
 * into a native buffer this object keeps for its whole life (no allocation per read). Made for a hot loop
 * such as a seccomp supervisor's: one instance per thread, not thread-safe.
 *
 * <p>The kernel stops a vectored read at the first range it cannot read. A range that lies within one page
 * is read whole or not at all, so callers that keep each range inside a page ({@link #toPageEnd}) learn
 * exactly which ranges arrived: those before {@link #read}'s returned count.
 */
public final class RemoteMemory {
    /** Ranges per {@link #read}. */
    public static final int MAX_RANGES = 512;
    /** Bytes per {@link #read}, all ranges together. */
    public static final int CAPACITY = 128 * 1024;
    private static final MethodHandle PROCESS_VM_READV = Libc.function("process_vm_readv",
            FunctionDescriptor.of(LONG, INT, PTR, LONG, PTR, LONG, LONG));

    private final MemorySegment buffer, local, remote;
    private final int[] offsets = new int[MAX_RANGES + 1];

    /** A reader with its own buffers (freed when it is unreachable). */
    public RemoteMemory() {
        Arena arena = Arena.ofAuto();
        buffer = arena.allocate(CAPACITY, 8);
        local = arena.allocate(16L * MAX_RANGES, 8);
        remote = arena.allocate(16L * MAX_RANGES, 8);
    }

    /** Bytes from {@code address} to the end of its 4 KiB page. */
    public static int toPageEnd(long address) { return (int) (4096 - (address & 4095)); }

    /**
     * Reads {@code count} ranges ({@code addresses[i]}, {@code lengths[i]} bytes) of process or thread
     * {@code pid} with one system call. Returns how many ranges arrived whole (the rest were not read:
     * unmapped memory, if each range lies in one page). EFAULT (nothing readable at the first range) gives 0;
     * other errors (ESRCH: the process is gone, EPERM) throw.
     */
    public int read(int pid, long[] addresses, int[] lengths, int count) throws LinuxException {
        if (count < 0 || count > MAX_RANGES) throw new IllegalArgumentException("range count " + count + " not in 0.." + MAX_RANGES);
        int total = 0;
        for (int i = 0; i < count; i++) {
            if (lengths[i] <= 0) throw new IllegalArgumentException("range " + i + " has length " + lengths[i]);
            offsets[i] = total;
            total += lengths[i];
            if (total > CAPACITY) throw new IllegalArgumentException("ranges exceed " + CAPACITY + " bytes");
            local.set(PTR, 16L * i, buffer.asSlice(offsets[i]));
            local.set(LONG, 16L * i + 8, lengths[i]);
            remote.set(LONG, 16L * i, addresses[i]);
            remote.set(LONG, 16L * i + 8, lengths[i]);
        }
        offsets[count] = total;
        if (count == 0) return 0;
        Scratch s = Scratch.get();
        long r;
        try {
            r = (long) PROCESS_VM_READV.invokeExact(s.capture, pid, local, (long) count, remote, (long) count, 0L);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) {
            if (s.errno() == Errno.EFAULT) return 0;
            throw new LinuxException("process_vm_readv", "pid " + pid + ", " + count + " ranges", s.errno());
        }
        int whole = 0;
        while (whole < count && offsets[whole + 1] <= r) whole++;
        return whole;
    }

    /** Byte {@code index} of range {@code range} of the last {@link #read}. */
    public byte byteAt(int range, int index) { return buffer.get(ValueLayout.JAVA_BYTE, offsets[range] + (long) index); }

    /** The little-endian 64-bit value at byte {@code index} of range {@code range} of the last {@link #read}. */
    public long longAt(int range, int index) {
        return buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offsets[range] + (long) index);
    }

    /** The index of the first NUL in range {@code range} of the last {@link #read}, or -1. */
    public int indexOfNul(int range) {
        long from = offsets[range], to = offsets[range + 1];
        for (long i = from; i < to; i++) if (buffer.get(ValueLayout.JAVA_BYTE, i) == 0) return (int) (i - from);
        return -1;
    }

    /** {@code length} bytes of range {@code range} of the last {@link #read}, copied out. */
    public byte[] bytes(int range, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offsets[range], out, 0, length);
        return out;
    }
}
