package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.LONG;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;
import static org.lobstertrap.puzzlepod.core.linux.Libc.SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child of the CALLING THREAD with {@code posix_spawn(3)}, feeds it its standard input
 * and collects its standard output and error (merged), without any helper thread.
 *
 * <p>Why not {@link ProcessBuilder}: the child inherits the namespaces of the thread that creates it, which
 * is what a thread that did {@link Processes#setns setns} wants; but {@code ProcessBuilder} also creates the
 * JDK's process-reaper thread from the calling thread when none is idle, and that thread would then stay in
 * the namespace and serve later, unrelated processes. Here nothing but the child is created.
 */
public final class Spawn {
    private Spawn() {}

    /**
     * How the command ended.
     *
     * @param exitStatus its exit status, or 128 + the signal that killed it
     * @param output     what it wrote on stdout and stderr, interleaved as written (at most {@code maxOutput} bytes)
     */
    public record Outcome(int exitStatus, byte[] output) {}

    /** Bindings made on first use: creating downcall handles costs start-up, and most users never spawn. */
    private static final class Calls {
        static final MethodHandle PIPE2 = Libc.function("pipe2", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle FA_INIT = Libc.function("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle FA_DESTROY = Libc.function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle FA_DUP2 =
                Libc.function("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(INT, PTR, INT, INT));
        static final MethodHandle FA_CLOSEFROM =
                Libc.function("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle ATTR_INIT = Libc.function("posix_spawnattr_init", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle ATTR_DESTROY = Libc.function("posix_spawnattr_destroy", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle ATTR_FLAGS = Libc.function("posix_spawnattr_setflags", FunctionDescriptor.of(INT, PTR, SHORT));
        static final MethodHandle ATTR_SIGMASK = Libc.function("posix_spawnattr_setsigmask", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle ATTR_SIGDEFAULT =
                Libc.function("posix_spawnattr_setsigdefault", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle SIGEMPTYSET = Libc.function("sigemptyset", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle SIGFILLSET = Libc.function("sigfillset", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle SPAWN =
                Libc.function("posix_spawn", FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, PTR));
        static final MethodHandle WAITPID = Libc.function("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT));
    }

    private static final int O_CLOEXEC = 0x80000, PIPE_BUF = 4096;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc's sizes of posix_spawn_file_actions_t (80), posix_spawnattr_t (336) and sigset_t (128), rounded up. */
    private static final long ACTIONS_SIZE = 256, ATTR_SIZE = 512, SIGSET_SIZE = 128;
    private static final FileSyscalls SYS = FileSyscalls.linux();

    /**
     * Runs {@code path} with {@code argv} (argv[0] included) and {@code environment}, writes {@code input} to its
     * stdin and closes it, and waits for it to exit. A command still running after {@code timeoutMs} is killed
     * (SIGKILL) and reported as such.
     *
     * @throws LinuxException when it cannot be started (e.g. ENOENT for a missing program), or it timed out (ETIMEDOUT)
     */
    public static Outcome run(String path, List<String> argv, Map<String, String> environment, byte[] input, int timeoutMs,
            int maxOutput) throws LinuxException {
        if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty");
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
            int[] in = pipe(arena, capture);
            int[] out;
            try {
                out = pipe(arena, capture);
            } catch (LinuxException e) {
                closeQuietly(in[0]);
                closeQuietly(in[1]);
                throw e;
            }
            int pid;
            try {
                pid = spawn(arena, capture, path, argv, environment, in[0], out[1]);
            } catch (LinuxException e) {
                closeQuietly(in[1]);
                closeQuietly(out[0]);
                throw e;
            } finally {
                closeQuietly(in[0]);
                closeQuietly(out[1]);
            }
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            boolean timedOut = false;
            try {
                timedOut = !writeAll(arena, in[1], input, deadline);
            } catch (LinuxException e) {
                // the command exited without reading all of it; its output and status say why
            } finally {
                closeQuietly(in[1]);
            }
            try {
                if (!timedOut) timedOut = !readAll(arena, out[0], collected, deadline, maxOutput);
            } finally {
                closeQuietly(out[0]);
            }
            if (timedOut) {
                try { Processes.kill(pid, Processes.SIGKILL); } catch (LinuxException ignored) { /* already gone */ }
            }
            int status = waitFor(arena, capture, pid);
            if (timedOut) throw new LinuxException("posix_spawn", path + " did not finish in " + timeoutMs + " ms", Errno.ETIMEDOUT);
            return new Outcome(status, collected.toByteArray());
        }
    }

    private static int[] pipe(Arena arena, MemorySegment capture) throws LinuxException {
        MemorySegment fds = arena.allocate(INT, 2);
        int r;
        try { r = (int) Calls.PIPE2.invokeExact(capture, fds, O_CLOEXEC); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("pipe2", "", Libc.errno(capture));
        return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
    }

    private static int spawn(Arena arena, MemorySegment capture, String path, List<String> argv, Map<String, String> environment,
            int stdin, int stdout) throws LinuxException {
        MemorySegment actions = arena.allocate(ACTIONS_SIZE, 16);
        MemorySegment attr = arena.allocate(ATTR_SIZE, 16);
        MemorySegment none = arena.allocate(SIGSET_SIZE, 16);
        MemorySegment all = arena.allocate(SIGSET_SIZE, 16);
        MemorySegment pid = arena.allocate(INT);
        MemorySegment args = cStrings(arena, argv);
        MemorySegment env = cStrings(arena, environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        int r;
        try {
            check((int) Calls.FA_INIT.invokeExact(capture, actions), "posix_spawn_file_actions_init", path);
            try {
                check((int) Calls.ATTR_INIT.invokeExact(capture, attr), "posix_spawnattr_init", path);
                try {
                    check((int) Calls.FA_DUP2.invokeExact(capture, actions, stdin, 0), "posix_spawn_file_actions_adddup2", path);
                    check((int) Calls.FA_DUP2.invokeExact(capture, actions, stdout, 1), "posix_spawn_file_actions_adddup2", path);
                    check((int) Calls.FA_DUP2.invokeExact(capture, actions, stdout, 2), "posix_spawn_file_actions_adddup2", path);
                    // no other descriptor of this process leaks into the child, whatever its close-on-exec flag
                    check((int) Calls.FA_CLOSEFROM.invokeExact(capture, actions, 3), "posix_spawn_file_actions_addclosefrom_np", path);
                    // the JVM's signal mask and handlers are not the command's business
                    int ignored = (int) Calls.SIGEMPTYSET.invokeExact(capture, none);
                    ignored = (int) Calls.SIGFILLSET.invokeExact(capture, all);
                    check((int) Calls.ATTR_SIGMASK.invokeExact(capture, attr, none), "posix_spawnattr_setsigmask", path);
                    check((int) Calls.ATTR_SIGDEFAULT.invokeExact(capture, attr, all), "posix_spawnattr_setsigdefault", path);
                    check((int) Calls.ATTR_FLAGS.invokeExact(capture, attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                            "posix_spawnattr_setflags", path);
                    r = (int) Calls.SPAWN.invokeExact(capture, pid, arena.allocateFrom(path), actions, attr, args, env);
                } finally {
                    int ignored = (int) Calls.ATTR_DESTROY.invokeExact(capture, attr);
                }
            } finally {
                int ignored = (int) Calls.FA_DESTROY.invokeExact(capture, actions);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (r != 0) throw new LinuxException("posix_spawn", path, r); // returns the error number itself
        return pid.get(INT, 0);
    }

    private static void check(int result, String call, String path) throws LinuxException {
        if (result != 0) throw new LinuxException(call, path, result);
    }

    /** A NULL-terminated array of NUL-terminated strings. */
    private static MemorySegment cStrings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(PTR, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(PTR, i, arena.allocateFrom(strings.get(i)));
        array.setAtIndex(PTR, strings.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * Writes all of {@code data}; false when the deadline passed first. The command's output is only read
     * afterwards, so a command that writes more than a pipe holds before reading all its input times out:
     * meant for inputs (a ruleset) that the command reads before it says much.
     */
    private static boolean writeAll(Arena arena, int fd, byte[] data, long deadline) throws LinuxException {
        if (data.length == 0) return true;
        MemorySegment buffer = arena.allocateFrom(Libc.BYTE, data);
        long done = 0;
        while (done < data.length) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || Processes.poll(new int[] {fd}, Processes.POLLOUT, (int) Math.min(left, Integer.MAX_VALUE))[0] == 0) return false;
            // at most PIPE_BUF per write: a pipe that polls writable takes that much without blocking
            done += SYS.write(fd, buffer.asSlice(done), Math.min(PIPE_BUF, data.length - done));
        }
        return true;
    }

    /** Reads to end of file; false when the deadline passed first. Output beyond {@code max} bytes is read and dropped. */
    private static boolean readAll(Arena arena, int fd, ByteArrayOutputStream out, long deadline, int max) throws LinuxException {
        MemorySegment buffer = arena.allocate(16 * 1024);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || Processes.poll(new int[] {fd}, Processes.POLLIN, (int) Math.min(left, Integer.MAX_VALUE))[0] == 0) return false;
            long n = SYS.read(fd, buffer, buffer.byteSize());
            if (n == 0) return true;
            int keep = (int) Math.min(n, Math.max(0, max - out.size()));
            if (keep > 0) out.write(buffer.asSlice(0, keep).toArray(Libc.BYTE), 0, keep);
        }
    }

    /** waitpid until the child is gone; its exit status, or 128 + the signal that ended it. */
    private static int waitFor(Arena arena, MemorySegment capture, int pid) throws LinuxException {
        MemorySegment status = arena.allocate(INT);
        int r;
        try {
            do r = (int) Calls.WAITPID.invokeExact(capture, pid, status, 0);
            while (r < 0 && Libc.errno(capture) == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("waitpid", "pid " + pid, Libc.errno(capture));
        int s = status.get(INT, 0);
        return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
    }

    private static void closeQuietly(int fd) {
        try {
            SYS.close(fd);
        } catch (LinuxException ignored) {
            // a pipe end; nothing was pending on it
        }
    }
}
