package org.lobstertrap.puzzlepod.bench;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.SeccompFilter;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotify;
import org.lobstertrap.puzzlepod.daemon.seccomp.ExecRules;
import org.lobstertrap.puzzlepod.daemon.seccomp.GovernedContainer;
import org.lobstertrap.puzzlepod.daemon.seccomp.NetworkMode;
import org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor;
import org.lobstertrap.puzzlepod.daemon.seccomp.StandardSyscallPolicy;

/**
 * What seccomp supervision adds to an exec: {@code N} runs of {@code /bin/true} started from a thread
 * whose execve/execveat/connect go to the {@link SeccompSupervisor} (reading path and argv, resolving
 * the path, matching a denylist, ID_VALID, CONTINUE), against {@code N} runs from an unfiltered thread,
 * and against a bare responder that CONTINUEs without looking (the floor any user-space supervisor
 * pays: the kernel round trip and two context switches), interleaved in rounds in the same run. Every JDK process start execs twice (its spawn helper, then the
 * program); the added time is reported per start and per supervised exec.
 *
 * <p>Arguments: {@code [N per round (default 1000)] [rounds (default 5)]}.
 */
public final class ExecveNotifyBenchmark {
    private ExecveNotifyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        AtomicLong answered = new AtomicLong();
        try (SeccompSupervisor supervisor = new SeccompSupervisor(d -> answered.incrementAndGet(), Clock.systemUTC())) {
            Worker filtered = new Worker(true);
            Worker plain = new Worker(false);
            Worker bare = new Worker(true);
            Thread responder = bareResponder(bare.listener.get());
            supervisor.register(new GovernedContainer("bench", 0, "bench-branch"), filtered.listener.get(),
                    new StandardSyscallPolicy(new ExecRules(List.of(), List.of("wget", "curl", "nc")), NetworkMode.BLOCKED, null));
            // warm-up (n starts each): a daemon's supervisor runs JIT-compiled, so measure it that way
            filtered.call(() -> spawn(n));
            plain.call(() -> spawn(n));
            bare.call(() -> spawn(n));
            long warmAnswered = answered.get();
            long cpu0 = supervisorCpuNanos(), bareCpu0 = threadCpuNanos("bench-bare-responder");
            long[] withNs = new long[rounds], withoutNs = new long[rounds], bareNs = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                // rotate which goes first so drift in machine load hits all sides alike
                for (int k = 0; k < 3; k++) {
                    switch ((r + k) % 3) {
                        case 0 -> withNs[r] = filtered.call(() -> spawn(n));
                        case 1 -> withoutNs[r] = plain.call(() -> spawn(n));
                        default -> bareNs[r] = bare.call(() -> spawn(n));
                    }
                }
            }
            long supervisorCpu = supervisorCpuNanos() - cpu0, bareCpu = threadCpuNanos("bench-bare-responder") - bareCpu0;
            filtered.stop();
            plain.stop();
            bare.stop();
            responder.join();
            double execsPerStart = (answered.get() - warmAnswered) / (double) (n * rounds);
            double with = median(withNs) / 1000.0 / n, without = median(withoutNs) / 1000.0 / n,
                    floor = median(bareNs) / 1000.0 / n;
            System.out.printf("execve notify benchmark: %d starts of /bin/true x %d rounds, %.2f supervised execs per start%n",
                    n, rounds, execsPerStart);
            System.out.printf("  unfiltered thread : %8.1f us per start (median round)%n", without);
            System.out.printf("  supervised thread : %8.1f us per start (median round)%n", with);
            System.out.printf("  bare responder    : %8.1f us per start (receive + CONTINUE, no inspection)%n", floor);
            System.out.printf("  ratio             : %8.3fx supervised, %.3fx bare (vs unfiltered)%n", with / without,
                    floor / without);
            System.out.printf("  inspection        : %8.1f us per supervised exec (supervised - bare)%n",
                    (with - floor) / execsPerStart);
            System.out.printf("  supervisor CPU    : %8.1f us per supervised exec (thread CPU time, load-independent)%n",
                    supervisorCpu / 1000.0 / (answered.get() - warmAnswered));
            System.out.printf("  bare responder CPU: %8.1f us per exec (poll + receive + CONTINUE: the floor)%n",
                    bareCpu / 1000.0 / (answered.get() - warmAnswered));
            System.out.printf("  added             : %8.1f us per start, %.1f us per supervised exec (goal <= 30)%n",
                    with - without, (with - without) / execsPerStart);
        }
    }

    /**
     * The least a supervisor can do: receive and CONTINUE. Its cost is the kernel round trip and the
     * two context switches that any user-space supervisor pays. Ends when the listener reports POLLHUP.
     */
    private static Thread bareResponder(int listener) {
        return Thread.ofPlatform().name("bench-bare-responder").start(() -> {
            try {
                while (true) {
                    short r = Processes.poll(new int[] {listener}, Processes.POLLIN, -1)[0];
                    if ((r & Processes.POLLIN) != 0) {
                        var n = SeccompNotify.receive(listener);
                        if (n.isPresent()) SeccompNotify.allow(listener, n.get().id());
                    } else if (r != 0) {
                        break;
                    }
                }
                FileSyscalls.linux().close(listener);
            } catch (LinuxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** CPU time used so far by the supervisor's thread. */
    private static long supervisorCpuNanos() { return threadCpuNanos("seccomp-supervisor"); }

    /** CPU time used so far by the (one) thread called {@code name}. */
    private static long threadCpuNanos(String name) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().equals(name)) return threads.getThreadCpuTime(t.threadId());
        throw new IllegalStateException("no " + name + " thread");
    }

    /** Starts /bin/true n times, one after the other; returns the nanoseconds taken. */
    private static long spawn(int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/true");
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int exit = pb.start().waitFor();
            if (exit != 0) throw new IllegalStateException("/bin/true exited " + exit);
        }
        return System.nanoTime() - t0;
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    /** A platform thread (optionally filtered) that runs the timed loops. */
    private static final class Worker {
        final CompletableFuture<Integer> listener = new CompletableFuture<>();
        private final java.util.concurrent.BlockingQueue<Runnable> tasks = new java.util.concurrent.LinkedBlockingQueue<>();
        private final Thread thread;

        Worker(boolean filtered) {
            thread = Thread.ofPlatform().name(filtered ? "bench-supervised" : "bench-plain").start(() -> {
                try {
                    listener.complete(filtered ? SeccompNotify.installFilter(SeccompFilter.notifyOn(
                            SeccompSupervisor.NR_EXECVE, SeccompSupervisor.NR_EXECVEAT, SeccompSupervisor.NR_CONNECT)) : -1);
                    for (Runnable r; (r = tasks.take()) != STOP; ) r.run();
                } catch (Throwable e) {
                    listener.completeExceptionally(e);
                }
            });
        }

        private static final Runnable STOP = () -> {};

        <T> T call(Callable<T> task) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            tasks.add(() -> {
                try { result.complete(task.call()); } catch (Throwable t) { result.completeExceptionally(t); }
            });
            return result.get();
        }

        void stop() throws InterruptedException {
            tasks.add(STOP);
            thread.join();
        }
    }
}
