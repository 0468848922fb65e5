package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Process and namespace calls: pidfds (which name a process without the pid-reuse race), signals,
 * {@code setns} and {@code poll}. {@code setns} changes the namespaces of the calling thread only.
 */
public final class Processes {
    /** Signals the product sends. */
    public static final int SIGKILL = 9, SIGTERM = 15, SIGSTOP = 19, SIGCONT = 18;
    /** setns(2) nstype values (CLONE_NEW*); 0 accepts any type. */
    public static final int CLONE_NEWNS = 0x00020000, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000,
            CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000,
            CLONE_NEWNET = 0x40000000;
    /** poll(2) event bits. */
    public static final short POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
            POLLNVAL = 0x20;

    private static final long SYS_GETTID = 186, SYS_PIPE2 = 293;
    private static final MethodHandle KILL = Libc.function("kill", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle GETPID = Libc.function("getpid", FunctionDescriptor.of(INT));
    private static final MethodHandle SETNS = Libc.function("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle POLL =
            Libc.function("poll", FunctionDescriptor.of(INT, PTR, Libc.LONG, INT));

    private static final MethodHandle PRCTL = Libc.variadic("prctl",
            FunctionDescriptor.of(INT, INT, Libc.LONG, Libc.LONG, Libc.LONG, Libc.LONG), 1);
    private static final int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

    private Processes() {}

    /**
     * prctl(PR_SET_NO_NEW_PRIVS, 1): the calling thread (and what it later starts) can never gain
     * privileges through execve. Required before an unprivileged Landlock or seccomp restriction.
     * It cannot be undone, so call it only on a thread that is dedicated to the restricted work.
     */
    public static void setNoNewPrivs() throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) PRCTL.invokeExact(s.capture, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("prctl", "PR_SET_NO_NEW_PRIVS", s.errno());
    }

    /** Whether the calling thread has no_new_privs set. */
    public static boolean noNewPrivs() throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) PRCTL.invokeExact(s.capture, PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("prctl", "PR_GET_NO_NEW_PRIVS", s.errno());
        return r == 1;
    }

    /** pidfd_open(2): an fd that refers to process {@code pid}, readable (POLLIN) once it has exited. */
    public static int pidfdOpen(int pid) throws LinuxException {
        Scratch s = Scratch.get();
        long r;
        try { r = (long) Libc.SYSCALL2.invokeExact(s.capture, Libc.SYS_PIDFD_OPEN, (long) pid, 0L); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("pidfd_open", "pid " + pid, s.errno());
        return (int) r;
    }

    /** pidfd_send_signal(2): signal the process the pidfd names, never a later process with the same pid. */
    public static void pidfdSendSignal(int pidfd, int signal) throws LinuxException {
        Scratch s = Scratch.get();
        long r;
        try {
            r = (long) Libc.SYSCALL4.invokeExact(s.capture, Libc.SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal,
                    0L, 0L);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("pidfd_send_signal", Names.fd(pidfd) + ", signal " + signal, s.errno());
    }

    /** kill(2); signal 0 only checks that the process exists and may be signalled. */
    public static void kill(int pid, int signal) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) KILL.invokeExact(s.capture, pid, signal); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("kill", "pid " + pid + ", signal " + signal, s.errno());
    }

    /**
     * pipe2(2) with O_CLOEXEC: {@code [read end, write end]}. Close-on-exec, so a child started meanwhile
     * inherits neither end unless it is handed over explicitly.
     */
    public static int[] pipe() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            Scratch s = Scratch.get();
            MemorySegment fds = arena.allocate(8, 4);
            long r;
            try { r = (long) Libc.SYSCALL2.invokeExact(s.capture, SYS_PIPE2, fds.address(), (long) FileSyscalls.O_CLOEXEC); }
            catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) throw new LinuxException("pipe2", "O_CLOEXEC", s.errno());
            return new int[] {fds.get(INT, 0), fds.get(INT, 4)};
        }
    }

    /** getpid(2): this process (the thread group id). */
    public static int getpid() {
        Scratch s = Scratch.get();
        try { return (int) GETPID.invokeExact(s.capture); } catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** gettid(2): the calling thread's id, which seccomp notifications report as their pid. */
    public static int gettid() {
        Scratch s = Scratch.get();
        try { return (int) (long) Libc.SYSCALL1.invokeExact(s.capture, SYS_GETTID, 0L); }
        catch (Throwable t) { throw Libc.rethrow(t); }
    }

    /** setns(2): move the CALLING THREAD into the namespace {@code fd} refers to; other threads stay. */
    public static void setns(int fd, int nstype) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) SETNS.invokeExact(s.capture, fd, nstype); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("setns", Names.fd(fd), s.errno());
    }

    /**
     * poll(2) on {@code fds}, each for {@code events}; waits at most {@code timeoutMs} (negative: forever).
     * Returns the {@code revents} of each fd in order, all zero after a timeout. EINTR is retried with the
     * full timeout again, which can only make the wait longer.
     */
    public static short[] poll(int[] fds, short events, int timeoutMs) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            Scratch s = Scratch.get();
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pollfds = arena.allocate(8L * Math.max(1, fds.length), 8);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(INT, 8L * i, fds[i]);
                pollfds.set(Libc.SHORT, 8L * i + 4, events);
            }
            int r;
            try {
                do r = (int) POLL.invokeExact(s.capture, pollfds, (long) fds.length, timeoutMs);
                while (r < 0 && s.errno() == Errno.EINTR);
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) throw new LinuxException("poll", fds.length + " fds", s.errno());
            short[] revents = new short[fds.length];
            for (int i = 0; i < fds.length; i++) revents[i] = pollfds.get(Libc.SHORT, 8L * i + 6);
            return revents;
        }
    }
}
