package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.LONG;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The supervisor side of seccomp user notification: receive an intercepted system call, inspect the
 * target's memory, answer it (fail with an errno, return a value, or let the kernel continue it) and
 * inject file descriptors.
 *
 * <p>A notification can be cancelled at any time (the target was killed or a signal interrupted the
 * call). That is normal, not an error: {@link #receive}, {@link #respond} and {@link #addFd} report it as
 * an empty result / {@link Reply#CANCELLED}, and the supervisor simply moves on to the next one.
 * Memory read from the target may change under the supervisor's feet; check {@link #isIdValid} after
 * reading and before acting on what was read (and never trust it for a CONTINUE decision alone).
 */
public final class SeccompNotify {
    /** What became of an answer. */
    public enum Reply {
        /** The target got the answer. */
        DELIVERED,
        /**
         * The notification no longer awaits an answer: it is gone (ENOENT: the target stopped waiting,
         * or an earlier answer was consumed), or it was already answered and the target has not woken
         * yet (EINPROGRESS, a short window the kernel reports for a second answer).
         */
        CANCELLED
    }

    /** The kernel's struct sizes ({@code seccomp_notif}, {@code seccomp_notif_resp}, {@code seccomp_data}). */
    public record Sizes(int notification, int response, int data) {}

    static final long SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100L, SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101L,
            SECCOMP_IOCTL_NOTIF_ID_VALID = 0x40082102L, SECCOMP_IOCTL_NOTIF_ADDFD = 0x40182103L,
            SECCOMP_IOCTL_NOTIF_SET_FLAGS = 0x40082104L;
    private static final long SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP = 1;
    private static final long SECCOMP_SET_MODE_FILTER = 1, SECCOMP_GET_NOTIF_SIZES = 3;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
    private static final int SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
    /** Inject at the requested fd number / inject and answer with the new fd atomically. */
    public static final int ADDFD_FLAG_SETFD = 1, ADDFD_FLAG_SEND = 2;
    private static final int NOTIF_SIZE = 80, RESP_SIZE = 24, ADDFD_SIZE = 24;
    private static final int O_CLOEXEC = 02000000;

    private static final MethodHandle IOCTL = Libc.variadic("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), 2);
    private static final MethodHandle PROCESS_VM_READV = Libc.function("process_vm_readv",
            FunctionDescriptor.of(LONG, INT, PTR, LONG, PTR, LONG, LONG));

    private SeccompNotify() {}

    /** seccomp(SECCOMP_GET_NOTIF_SIZES). */
    public static Sizes sizes() throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment out = s.small;
        long r;
        try { r = (long) Libc.SYSCALL3.invokeExact(s.capture, Libc.SYS_SECCOMP, SECCOMP_GET_NOTIF_SIZES, 0L, out.address()); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("seccomp", "SECCOMP_GET_NOTIF_SIZES", s.errno());
        return new Sizes(Short.toUnsignedInt(out.get(Libc.SHORT, 0)), Short.toUnsignedInt(out.get(Libc.SHORT, 2)),
                Short.toUnsignedInt(out.get(Libc.SHORT, 4)));
    }

    /**
     * Installs {@code filter} on the CALLING THREAD (threads it starts later inherit it; others do not)
     * with a new notification listener, and returns the listener fd (close-on-exec). Sets no_new_privs
     * on the thread first, which a caller without CAP_SYS_ADMIN needs. Irreversible for the thread.
     */
    public static int installFilter(SeccompFilter filter) throws LinuxException {
        Processes.setNoNewPrivs();
        Scratch s = Scratch.get();
        try (Arena arena = Arena.ofConfined()) {
            var insns = filter.instructions();
            MemorySegment program = arena.allocate(8L * insns.size(), 8);
            for (int i = 0; i < insns.size(); i++) {
                SeccompFilter.Instruction in = insns.get(i);
                program.set(Libc.SHORT, 8L * i, in.code());
                program.set(Libc.BYTE, 8L * i + 2, in.jt());
                program.set(Libc.BYTE, 8L * i + 3, in.jf());
                program.set(INT, 8L * i + 4, in.k());
            }
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(Libc.SHORT, 0, (short) insns.size());
            fprog.set(PTR, 8, program);
            long r;
            try {
                r = (long) Libc.SYSCALL3.invokeExact(s.capture, Libc.SYS_SECCOMP, SECCOMP_SET_MODE_FILTER,
                        SECCOMP_FILTER_FLAG_NEW_LISTENER, fprog.address());
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) throw new LinuxException("seccomp", "SECCOMP_SET_MODE_FILTER", s.errno());
            return (int) r;
        }
    }

    /**
     * SECCOMP_IOCTL_NOTIF_RECV: waits for the next notification (poll the listener for POLLIN to wait with
     * a timeout). Empty when the notification was cancelled before it could be read: receive again.
     */
    public static Optional<SeccompNotification> receive(int listenerFd) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment n = s.small.asSlice(0, NOTIF_SIZE);
        int r;
        try {
            do {
                // the kernel refuses a buffer that is not zeroed; clearing all of it also covers a future,
                // larger struct seccomp_notif (the kernel checks the size it knows)
                s.small.fill((byte) 0);
                r = (int) IOCTL.invokeExact(s.capture, listenerFd, SECCOMP_IOCTL_NOTIF_RECV, n);
            } while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) {
            if (s.errno() == Errno.ENOENT) return Optional.empty();
            throw new LinuxException("ioctl", "SECCOMP_IOCTL_NOTIF_RECV, " + Names.fd(listenerFd), s.errno());
        }
        long[] args = new long[6];
        for (int i = 0; i < 6; i++) args[i] = n.get(LONG, 32 + 8L * i);
        return Optional.of(new SeccompNotification(n.get(LONG, 0), n.get(INT, 8), n.get(INT, 12), n.get(INT, 16),
                n.get(INT, 20), n.get(LONG, 24), args));
    }

    /** SECCOMP_IOCTL_NOTIF_ID_VALID: whether the target is still waiting for an answer to {@code id}. */
    public static boolean isIdValid(int listenerFd, long id) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment idSeg = s.small;
        idSeg.set(LONG, 0, id);
        int r;
        try { r = (int) IOCTL.invokeExact(s.capture, listenerFd, SECCOMP_IOCTL_NOTIF_ID_VALID, idSeg); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r == 0) return true;
        if (s.errno() == Errno.ENOENT) return false;
        throw new LinuxException("ioctl", "SECCOMP_IOCTL_NOTIF_ID_VALID, " + Names.fd(listenerFd), s.errno());
    }

    /**
     * SECCOMP_IOCTL_NOTIF_SET_FLAGS(SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP), Linux 6.6+: the kernel hands the CPU
     * straight from the notifying thread to the supervisor and back (a synchronous wake-up) instead of
     * scheduling each side on its own, which cuts the round trip of every notification. False when the
     * kernel does not know the flag (EINVAL): notifications work as before.
     */
    public static boolean setSyncWakeUp(int listenerFd) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) IOCTL.invokeExact(s.capture, listenerFd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, MemorySegment.ofAddress(SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r == 0) return true;
        if (s.errno() == Errno.EINVAL) return false;
        throw new LinuxException("ioctl", "SECCOMP_IOCTL_NOTIF_SET_FLAGS, " + Names.fd(listenerFd), s.errno());
    }

    /** Fails the intercepted call with {@code errno} (positive, e.g. {@link Errno#EPERM}). */
    public static Reply deny(int listenerFd, long id, int errno) throws LinuxException {
        if (errno <= 0) throw new IllegalArgumentException("deny needs a positive errno, not " + errno);
        return send(listenerFd, id, 0, -errno, 0);
    }

    /** Lets the kernel run the intercepted call as if there were no filter. */
    public static Reply allow(int listenerFd, long id) throws LinuxException {
        return send(listenerFd, id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    }

    /** Completes the intercepted call without running it, returning {@code value} to the target. */
    public static Reply succeed(int listenerFd, long id, long value) throws LinuxException {
        return send(listenerFd, id, value, 0, 0);
    }

    /** SECCOMP_IOCTL_NOTIF_SEND with {@code struct seccomp_notif_resp {u64 id; s64 val; s32 error; u32 flags}}. */
    private static Reply send(int listenerFd, long id, long value, int error, int flags) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment resp = s.small.asSlice(0, RESP_SIZE);
        resp.set(LONG, 0, id);
        resp.set(LONG, 8, value);
        resp.set(INT, 16, error);
        resp.set(INT, 20, flags);
        int r;
        try {
            do r = (int) IOCTL.invokeExact(s.capture, listenerFd, SECCOMP_IOCTL_NOTIF_SEND, resp);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r == 0) return Reply.DELIVERED;
        if (s.errno() == Errno.ENOENT || s.errno() == Errno.EINPROGRESS) return Reply.CANCELLED;
        throw new LinuxException("ioctl", "SECCOMP_IOCTL_NOTIF_SEND, " + Names.fd(listenerFd), s.errno());
    }

    /**
     * SECCOMP_IOCTL_NOTIF_ADDFD: installs a duplicate of our {@code srcFd} in the target. With
     * {@link #ADDFD_FLAG_SETFD} it lands at {@code targetFd}; with {@link #ADDFD_FLAG_SEND} it also answers
     * the notification with the new fd number. Returns that number, or empty if the notification was cancelled.
     */
    public static OptionalInt addFd(int listenerFd, long id, int srcFd, int targetFd, int flags, boolean closeOnExec)
            throws LinuxException {
        Scratch s = Scratch.get();
        // struct seccomp_notif_addfd { u64 id; u32 flags; u32 srcfd; u32 newfd; u32 newfd_flags; }
        MemorySegment a = s.small.asSlice(0, ADDFD_SIZE);
        a.set(LONG, 0, id);
        a.set(INT, 8, flags);
        a.set(INT, 12, srcFd);
        a.set(INT, 16, (flags & ADDFD_FLAG_SETFD) != 0 ? targetFd : 0);
        a.set(INT, 20, closeOnExec ? O_CLOEXEC : 0);
        int r;
        try {
            do r = (int) IOCTL.invokeExact(s.capture, listenerFd, SECCOMP_IOCTL_NOTIF_ADDFD, a);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r >= 0) return OptionalInt.of(r);
        if (s.errno() == Errno.ENOENT) return OptionalInt.empty();
        throw new LinuxException("ioctl", "SECCOMP_IOCTL_NOTIF_ADDFD, " + Names.fd(listenerFd), s.errno());
    }

    /**
     * process_vm_readv(2): up to {@code length} bytes at {@code address} in process (or thread) {@code pid}.
     * The result is shorter than asked when the range runs into unmapped memory; EFAULT when the first byte
     * is unmapped.
     */
    public static byte[] readProcessMemory(int pid, long address, int length) throws LinuxException {
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        if (length == 0) return new byte[0];
        Scratch s = Scratch.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(length);
            // struct iovec { void *base; size_t len; } local at 0, remote at 16
            MemorySegment iovs = arena.allocate(32, 8);
            iovs.set(PTR, 0, buf);
            iovs.set(LONG, 8, length);
            iovs.set(LONG, 16, address);
            iovs.set(LONG, 24, length);
            long r;
            try {
                r = (long) PROCESS_VM_READV.invokeExact(s.capture, pid, iovs, 1L, iovs.asSlice(16), 1L, 0L);
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) {
                throw new LinuxException("process_vm_readv", "pid " + pid + " at 0x" + Long.toHexString(address),
                        s.errno());
            }
            return buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * A NUL-terminated string at {@code address} in process {@code pid} (e.g. an execve or open path),
     * without the NUL, read page by page so that a string ending just before unmapped memory is found.
     * Throws ENAMETOOLONG when no NUL comes within {@code maxLength} bytes.
     */
    public static byte[] readCString(int pid, long address, int maxLength) throws LinuxException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long at = address;
        while (out.size() < maxLength) {
            int toPageEnd = (int) (4096 - (at & 4095));
            int chunk = Math.min(toPageEnd, maxLength - out.size());
            byte[] bytes = readProcessMemory(pid, at, chunk);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    out.write(bytes, 0, i);
                    return out.toByteArray();
                }
            }
            if (bytes.length < chunk) {
                throw new LinuxException("process_vm_readv", "pid " + pid + " at 0x" + Long.toHexString(at + bytes.length),
                        Errno.EFAULT);
            }
            out.write(bytes, 0, bytes.length);
            at += bytes.length;
        }
        throw new LinuxException("process_vm_readv", "pid " + pid + ": no NUL within " + maxLength + " bytes at 0x"
                + Long.toHexString(address), Errno.ENAMETOOLONG);
    }
}
