package org.lobstertrap.puzzlepod.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import org.lobstertrap.puzzlepod.daemon.seccomp.ResolverProcess;
import org.lobstertrap.puzzlepod.daemon.seccomp.RootResolver;

/**
 * What one exec's path resolution costs the supervisor: the daemon's own {@code open(/proc/PID/root)} +
 * {@code openat2(RESOLVE_IN_ROOT)} + {@code readlink} (rootful) against asking a
 * {@code puzzle-init --resolve-in-root} process over its pipes (rootless), for a symlinked path (the busybox
 * case {@code /bin/sh -> busybox}: the file and the link's directory, two lookups) and a plain file (one),
 * interleaved in rounds in the same run. Both resolve in this process's root, so the difference is the
 * round trip to the resolver, not the file system.
 *
 * <p>Arguments: {@code [N per round (default 20000)] [rounds (default 5)] [puzzle-init (default
 * init-shim/target/puzzle-init)]}.
 */
public final class RootResolutionBenchmark {
    private RootResolutionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path shim = Path.of(args.length > 2 ? args[2] : "init-shim/target/puzzle-init").toAbsolutePath();
        if (!Files.isExecutable(shim)) throw new IllegalStateException("puzzle-init not found at " + shim + " (build init-shim)");
        Path dir = Files.createTempDirectory("pz-rootres-bench");
        Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
        Files.writeString(bin.resolve("busybox"), "");
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        String linked = bin.toRealPath() + "/sh", plain = bin.toRealPath() + "/busybox";
        int self = (int) ProcessHandle.current().pid();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        RootResolver direct = RootResolver.direct();
        try (ResolverProcess resolver = ResolverProcess.start(shim, self, Duration.ofSeconds(5))) {
            for (String p : new String[] {linked, plain}) {
                if (!Arrays.equals(direct.resolveExec(self, p), resolver.resolveExec(self, p)))
                    throw new IllegalStateException("the resolver and the daemon disagree about " + p);
            }
            for (String p : new String[] {linked, plain}) { // warm-up: JIT and page cache
                time(direct, self, p, n, threads);
                time(resolver, self, p, n, threads);
            }
            System.out.printf("root resolution benchmark: %d resolutions x %d rounds, resolver %s%n", n, rounds, shim);
            for (String p : new String[] {linked, plain}) {
                long[][] d = new long[rounds][], r = new long[rounds][];
                for (int k = 0; k < rounds; k++) { // alternate who goes first so load drift hits both
                    if (k % 2 == 0) { d[k] = time(direct, self, p, n, threads); r[k] = time(resolver, self, p, n, threads); }
                    else { r[k] = time(resolver, self, p, n, threads); d[k] = time(direct, self, p, n, threads); }
                }
                double dWall = median(d, 0) / 1000.0 / n, rWall = median(r, 0) / 1000.0 / n;
                double dCpu = median(d, 1) / 1000.0 / n, rCpu = median(r, 1) / 1000.0 / n;
                System.out.printf("  %s (%s):%n", p.equals(linked) ? "symlinked path, 2 lookups" : "plain path, 1 lookup", p);
                System.out.printf("    daemon itself (rootful) : %7.1f us wall, %7.1f us daemon CPU per exec%n", dWall, dCpu);
                System.out.printf("    resolver process        : %7.1f us wall, %7.1f us daemon CPU per exec%n", rWall, rCpu);
                System.out.printf("    ratio resolver/daemon   : %7.2fx wall, %.2fx daemon CPU (+%.1f us per exec)%n",
                        rWall / dWall, rCpu / dCpu, rWall - dWall);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code [wall ns, this thread's CPU ns]} for n resolutions of {@code path}. */
    private static long[] time(RootResolver r, int pid, String path, int n, ThreadMXBean threads) {
        long cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (r.resolveExec(pid, path)[0] == null) throw new IllegalStateException(path + " did not resolve");
        }
        return new long[] {System.nanoTime() - t0, threads.getCurrentThreadCpuTime() - cpu0};
    }

    private static double median(long[][] rows, int column) {
        long[] v = new long[rows.length];
        for (int i = 0; i < rows.length; i++) v[i] = rows[i][column];
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
