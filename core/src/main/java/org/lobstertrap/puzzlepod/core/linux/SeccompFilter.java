package org.lobstertrap.puzzlepod.core.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * A classic-BPF seccomp program ({@code struct sock_filter} instructions).
 *
 * @param instructions the program, run by the kernel on every system call of the filtered thread
 */
public record SeccompFilter(List<Instruction> instructions) {
    /** One {@code struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}}. */
    public record Instruction(short code, byte jt, byte jf, int k) {
        static Instruction of(int code, int jt, int jf, int k) {
            return new Instruction((short) code, (byte) jt, (byte) jf, k);
        }
    }

    /** seccomp return actions. */
    public static final int RET_KILL_PROCESS = 0x80000000, RET_ERRNO = 0x00050000, RET_USER_NOTIF = 0x7fc00000,
            RET_ALLOW = 0x7fff0000;
    private static final int LD_W_ABS = 0x20, JEQ_K = 0x15, JGE_K = 0x35, RET_K = 0x06;
    /** offsetof(struct seccomp_data, nr / arch). */
    private static final int DATA_NR = 0, DATA_ARCH = 4;
    /** x32 system calls have this bit set in nr on x86_64. */
    private static final int X32_SYSCALL_BIT = 0x40000000;

    public SeccompFilter {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > 4096)
            throw new IllegalArgumentException("a seccomp program has 1 to 4096 instructions, not " + instructions.size());
    }

    /**
     * A program that hands {@code syscalls} (x86_64 numbers) to the user-space supervisor and allows
     * everything else. A foreign calling convention kills the process (its numbers mean other calls) and
     * x32 calls fail with ENOSYS, so neither can slip past the list.
     */
    public static SeccompFilter notifyOn(int... syscalls) {
        if (syscalls.length == 0 || syscalls.length > 250)
            throw new IllegalArgumentException("notifyOn takes 1 to 250 system calls, not " + syscalls.length);
        int n = syscalls.length;
        List<Instruction> p = new ArrayList<>();
        p.add(Instruction.of(LD_W_ABS, 0, 0, DATA_ARCH));                               // 0
        p.add(Instruction.of(JEQ_K, 1, 0, SeccompNotification.AUDIT_ARCH_X86_64));     // 1
        p.add(Instruction.of(RET_K, 0, 0, RET_KILL_PROCESS));                          // 2
        p.add(Instruction.of(LD_W_ABS, 0, 0, DATA_NR));                                // 3
        p.add(Instruction.of(JGE_K, n + 2, 0, X32_SYSCALL_BIT));                       // 4 -> ENOSYS
        for (int i = 0; i < n; i++) p.add(Instruction.of(JEQ_K, n - i, 0, syscalls[i])); // 5+i -> NOTIFY
        p.add(Instruction.of(RET_K, 0, 0, RET_ALLOW));                                 // 5+n
        p.add(Instruction.of(RET_K, 0, 0, RET_USER_NOTIF));                            // 6+n
        p.add(Instruction.of(RET_K, 0, 0, RET_ERRNO | Errno.ENOSYS));                  // 7+n
        return new SeccompFilter(p);
    }
}
