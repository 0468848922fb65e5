package org.lobstertrap.puzzlepod.core.linux;

/**
 * One intercepted system call ({@code struct seccomp_notif}): the target is blocked in the call until
 * it is answered through {@link SeccompNotify}.
 *
 * @param id the cookie to answer with; valid until answered or until the target stops waiting
 * @param pid the thread id of the caller (in the listener's pid namespace)
 * @param flags notification flags (none are defined yet)
 * @param syscall the system call number (x86_64 numbering for {@code arch == AUDIT_ARCH_X86_64})
 * @param arch the AUDIT_ARCH_* value of the calling convention
 * @param instructionPointer where the call was made
 * @param args the six raw argument registers; pointers are addresses in the TARGET process, read them
 *             with {@link SeccompNotify#readProcessMemory} and check {@link SeccompNotify#isIdValid} after
 */
public record SeccompNotification(long id, int pid, int flags, int syscall, int arch, long instructionPointer,
                                  long[] args) {
    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;

    public SeccompNotification {
        args = args.clone();
    }

    /** Argument {@code index} (0–5). */
    public long arg(int index) { return args[index]; }

    @Override
    public long[] args() { return args.clone(); }
}
