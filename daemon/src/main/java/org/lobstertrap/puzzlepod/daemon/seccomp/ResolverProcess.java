package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;

/**
 * A {@code puzzle-init --resolve-in-root PID} process: it joined the user namespace of PID (and nothing
 * else: it stays in the host's mount and PID namespaces, runs nothing of the container's, and no process of
 * the container can see or signal it) and resolves paths there on the daemon's behalf, over two pipes.
 *
 * <p>Protocol (see {@code init-shim/README.md}): a request is {@code "PID PATH"} and a NUL; the answer is the
 * resolved path (starting with {@code /}) and a NUL, or {@code "!ERRNO"} and a NUL. One request at a time.
 * Every answer is awaited at most {@code timeout}; a resolver that is slow, exits, or answers anything
 * else is killed and counts as broken: from then on it resolves nothing (the caller fails closed).
 */
public final class ResolverProcess implements RootResolver {
    private static final System.Logger LOG = System.getLogger(ResolverProcess.class.getName());
    private static final FileSyscalls SYS = FileSyscalls.linux();
    /** Longest request ({@code "PID PATH"}) the resolver takes; the resolver's own limit. */
    static final int MAX_REQUEST = 8192;
    /** Longest answer, NUL included. */
    static final int MAX_ANSWER = 4097;

    private final Process process;
    private final String what;
    private final long timeoutNanos;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment request = arena.allocate(MAX_REQUEST + 1), answer = arena.allocate(MAX_ANSWER);
    private int requests, answers; // the daemon's ends
    private boolean broken, closed;

    private ResolverProcess(Process process, int requests, int answers, String what, Duration timeout) {
        this.process = process;
        this.requests = requests;
        this.answers = answers;
        this.what = what;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts {@code shim --resolve-in-root pid}: a resolver in the user namespace of process {@code pid}. */
    public static ResolverProcess start(Path shim, int pid, Duration timeout) throws IOException {
        if (pid <= 0) throw new IllegalArgumentException("pid " + pid);
        return start(List.of(shim.toString(), "--resolve-in-root", Integer.toString(pid)), timeout);
    }

    /** Starts {@code command} as a resolver (tests give stand-ins that misbehave). */
    static ResolverProcess start(List<String> command, Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        int[] in = Processes.pipe(), out;
        try {
            out = Processes.pipe();
        } catch (LinuxException e) {
            closeQuietly(in[0]);
            closeQuietly(in[1]);
            throw e;
        }
        Process p;
        try {
            // ProcessBuilder cannot hand over fds; opening a pipe's /proc/self/fd entry gives the child that
            // pipe, while the daemon keeps raw fds it can poll with a deadline
            p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/proc/self/fd/" + in[0])))
                    .redirectOutput(ProcessBuilder.Redirect.to(new File("/proc/self/fd/" + out[1])))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(in[1]);
            closeQuietly(out[0]);
            throw e;
        } finally {
            closeQuietly(in[0]);
            closeQuietly(out[1]);
        }
        return new ResolverProcess(p, in[1], out[0], String.join(" ", command) + " (pid " + p.pid() + ")", timeout);
    }

    @Override
    public synchronized String resolve(int pid, String path) {
        if (broken || closed) return null;
        if (pid <= 0 || path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) return null;
        byte[] req = (pid + " " + path).getBytes(StandardCharsets.UTF_8);
        if (req.length > MAX_REQUEST) return null; // the resolver would answer ENAMETOOLONG
        try {
            MemorySegment.copy(req, 0, request, ValueLayout.JAVA_BYTE, 0, req.length);
            request.set(ValueLayout.JAVA_BYTE, req.length, (byte) 0);
            for (long off = 0, len = req.length + 1; off < len; )
                off += SYS.write(requests, request.asSlice(off), len - off);
            return readAnswer();
        } catch (LinuxException e) {
            fail(e.getMessage());
            return null;
        }
    }

    private String readAnswer() throws LinuxException {
        long deadline = System.nanoTime() + timeoutNanos;
        int have = 0;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || Processes.poll(new int[] {answers}, Processes.POLLIN, (int) left)[0] == 0) {
                fail("no answer within " + timeoutNanos / 1_000_000L + " ms");
                return null;
            }
            long n = SYS.read(answers, answer.asSlice(have), MAX_ANSWER - have);
            if (n == 0) {
                fail("it exited");
                return null;
            }
            for (int i = have; i < have + n; i++) {
                if (answer.get(ValueLayout.JAVA_BYTE, i) != 0) continue;
                if (i != have + n - 1) {
                    fail("it answered more than it was asked");
                    return null;
                }
                return parse(answer.asSlice(0, i).toArray(ValueLayout.JAVA_BYTE));
            }
            have += (int) n;
            if (have == MAX_ANSWER) {
                fail("its answer is longer than " + MAX_ANSWER + " bytes");
                return null;
            }
        }
    }

    private String parse(byte[] a) {
        if (a.length > 0 && a[0] == '/') return new String(a, StandardCharsets.UTF_8);
        if (a.length >= 2 && a.length <= 5 && a[0] == '!') {
            boolean digits = true;
            for (int i = 1; i < a.length; i++) digits &= a[i] >= '0' && a[i] <= '9';
            if (digits) return null; // an errno: this path cannot be resolved, the resolver is fine
        }
        fail("it answered '" + new String(a, 0, Math.min(a.length, 64), StandardCharsets.UTF_8) + "', which is neither a path nor an errno");
        return null;
    }

    /** The resolver cannot be trusted any more (out of step, gone or hung): kill it; it resolves nothing from now on. */
    private void fail(String why) {
        broken = true;
        LOG.log(System.Logger.Level.WARNING, "exec path resolver " + what + " failed: " + why
                + "; exec paths it served cannot be resolved now (those execs are decided as unresolvable)");
        release();
    }

    /** Whether it still answers (not broken, not closed, and the process runs). */
    public synchronized boolean alive() { return !broken && !closed && process.isAlive(); }

    /** The process's id (for logs and tests). */
    public long pid() { return process.pid(); }

    /** Ends the resolver: its input closes (it exits at once) and it is killed in case it does not. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        release();
        arena.close();
    }

    private void release() {
        if (requests >= 0) closeQuietly(requests);
        if (answers >= 0) closeQuietly(answers);
        requests = answers = -1;
        process.destroyForcibly();
    }

    private static void closeQuietly(int fd) {
        try { SYS.close(fd); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
    }

    @Override
    public String toString() { return "exec path resolver " + what; }
}
