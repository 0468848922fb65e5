package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A poll(2) set whose native {@code struct pollfd} array lives as long as the set, for a loop that polls
 * the same fds again and again (no allocation per call; {@link #set} only when the fds change). One
 * thread at a time.
 */
public final class PollSet {
    private static final MethodHandle POLL = Libc.function("poll", FunctionDescriptor.of(INT, PTR, Libc.LONG, INT));
    private MemorySegment fds = Arena.ofAuto().allocate(8L * 16, 8);
    private int size;

    /** Polls {@code fds} for {@code events} from now on (a copy is kept natively). */
    public void set(int[] fds, int count, short events) {
        if (8L * Math.max(1, count) > this.fds.byteSize()) this.fds = Arena.ofAuto().allocate(8L * Math.max(16, 2 * count), 8);
        for (int i = 0; i < count; i++) {
            this.fds.set(INT, 8L * i, fds[i]);
            this.fds.set(Libc.SHORT, 8L * i + 4, events);
            this.fds.set(Libc.SHORT, 8L * i + 6, (short) 0);
        }
        size = count;
    }

    /** Waits at most {@code timeoutMs} (negative: forever); returns how many fds have events. EINTR is retried. */
    public int poll(int timeoutMs) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try {
            do r = (int) POLL.invokeExact(s.capture, fds, (long) size, timeoutMs);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("poll", size + " fds", s.errno());
        return r;
    }

    /** The {@code revents} of fd {@code i} after the last {@link #poll}. */
    public short revents(int i) { return fds.get(Libc.SHORT, 8L * i + 6); }
}
