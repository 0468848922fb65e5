package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Batched reads of this very process's memory (process_vm_readv of oneself needs no privilege) and the reusable poll set. */
class RemoteMemoryTest {
    @Test
    void rangesArriveWholeInOneCallAndStopAtTheFirstUnreadableOne() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom("first", StandardCharsets.UTF_8);
            MemorySegment b = arena.allocateFrom("second-longer", StandardCharsets.UTF_8);
            MemorySegment ptrs = arena.allocate(16, 8);
            ptrs.set(ValueLayout.JAVA_LONG, 0, a.address());
            ptrs.set(ValueLayout.JAVA_LONG, 8, 0L);
            RemoteMemory m = new RemoteMemory();
            int pid = Processes.getpid();
            long[] at = {a.address(), b.address(), ptrs.address()};
            int[] len = {6, 14, 16};
            assertThat(m.read(pid, at, len, 3)).isEqualTo(3);
            assertThat(m.indexOfNul(0)).isEqualTo(5);
            assertThat(new String(m.bytes(0, 5), StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(new String(m.bytes(1, m.indexOfNul(1)), StandardCharsets.UTF_8)).isEqualTo("second-longer");
            assertThat(m.longAt(2, 0)).isEqualTo(a.address());
            assertThat(m.longAt(2, 8)).isZero();
            assertThat(m.byteAt(1, 0)).isEqualTo((byte) 's');

            // page 0 is never mapped: the read stops there, the ranges before it arrived
            long[] withHole = {a.address(), 16, b.address()};
            assertThat(m.read(pid, withHole, new int[] {6, 8, 14}, 3)).isEqualTo(1);
            assertThat(m.read(pid, new long[] {16}, new int[] {8}, 1)).as("nothing readable: EFAULT").isZero();
        }
    }

    @Test
    void badRequestsAreRefusedAndAGoneProcessIsAnError() {
        RemoteMemory m = new RemoteMemory();
        assertThatThrownBy(() -> m.read(1, new long[1], new int[] {0}, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.read(1, new long[RemoteMemory.MAX_RANGES + 1], new int[RemoteMemory.MAX_RANGES + 1],
                RemoteMemory.MAX_RANGES + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.read(1, new long[] {4096, 4096}, new int[] {RemoteMemory.CAPACITY, 1}, 2))
                .hasMessageContaining("exceed");
        assertThatThrownBy(() -> m.read(Integer.MAX_VALUE - 1, new long[] {4096}, new int[] {8}, 1))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        assertThat(RemoteMemory.toPageEnd(0x1000)).isEqualTo(4096);
        assertThat(RemoteMemory.toPageEnd(0x1ff8)).isEqualTo(8);
    }

    @Test
    void aPollSetIsReusedAcrossPollsAndGrows() throws Exception {
        int[] pair = UnixSockets.socketpair();
        FileSyscalls sys = FileSyscalls.linux();
        try (Arena arena = Arena.ofConfined()) {
            PollSet set = new PollSet();
            int[] many = new int[40];
            java.util.Arrays.fill(many, pair[0]);
            set.set(many, 40, Processes.POLLIN);
            assertThat(set.poll(0)).as("nothing written yet").isZero();
            sys.write(pair[1], arena.allocate(1), 1);
            assertThat(set.poll(1000)).isEqualTo(40);
            assertThat(set.revents(39) & Processes.POLLIN).isNotZero();
            set.set(new int[] {pair[1]}, 1, Processes.POLLIN);
            assertThat(set.poll(0)).isZero();
        } finally {
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
    }
}
