package org.lobstertrap.puzzlepod.bench;

import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.diff.OverlayFlavor;
import org.lobstertrap.puzzlepod.daemon.diff.UpperDirDiff;
import org.lobstertrap.puzzlepod.daemon.gate.Decision;
import org.lobstertrap.puzzlepod.daemon.gate.GovernanceGate;
import org.lobstertrap.puzzlepod.daemon.gate.Outcome;
import org.lobstertrap.puzzlepod.daemon.gate.PolicyStore;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The careless agent's decision (diff + shipped policies): a project of 48 files of which the branch deletes
 * 24 (whiteouts) and adds a 500 MiB log, judged under {@code restricted} (100 MiB quota, 20 deletions).
 * "hash all" diffs with no hash budget (every byte of the log is read and hashed before the policy sees the
 * sizes); "quota first" diffs with the profile's quota as the budget, as the gate does. Both must reject with
 * {@code storage-quota}; they run warm and interleaved in one process, and the medians and their ratio are printed.
 * The log is written with real (non-zero) bytes so that reading it costs what an agent's log costs.
 *
 * <p>Usage: {@code QuotaGateBench [runs] [policies-dir] [profiles-dir] [scratch-dir]} (defaults 5, {@code policies},
 * {@code profiles}, the system temp dir).
 */
public final class QuotaGateBench {
    private static final long MIB = 1024 * 1024;

    private QuotaGateBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PolicyStore policies = PolicyStore.open(Path.of(args.length > 1 ? args[1] : "policies"));
        if (!policies.snapshot().loaded()) throw new IllegalStateException("shipped policies not loaded: " + policies.snapshot().error());
        Profile profile = ProfileRepository.load(Path.of(args.length > 2 ? args[2] : "profiles")).get("restricted");
        Path scratch = args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir"));
        GovernanceGate gate = GovernanceGate.judging(policies, new GovernanceGate.Settings(Duration.ofMinutes(1), 10_000_000_000L,
                false, 1, 0, Duration.ZERO), Clock.systemUTC());
        Path root = Files.createTempDirectory(scratch, "puzzlepod-quota-bench");
        try {
            Path base = Files.createDirectory(root.resolve("base"));
            Path upper = Files.createDirectory(root.resolve("upper"));
            build(base, upper);
            UpperDirDiff differ = UpperDirDiff.onLinux();
            long quota = profile.resourceLimits().storageQuotaBytes();
            long[] all = new long[runs], first = new long[runs];
            for (int i = -1; i < runs; i++) { // round -1 warms up (JIT, page cache)
                long t0 = System.nanoTime();
                decide(gate, profile, differ.diff(base.toString(), upper.toString(), OverlayFlavor.TRUSTED_XATTR, Long.MAX_VALUE));
                long t1 = System.nanoTime();
                decide(gate, profile, differ.diff(base.toString(), upper.toString(), OverlayFlavor.TRUSTED_XATTR, quota));
                long t2 = System.nanoTime();
                if (i >= 0) {
                    all[i] = t1 - t0;
                    first[i] = t2 - t1;
                }
            }
            double allMs = median(all) / 1e6, firstMs = median(first) / 1e6;
            System.out.printf("hash all, then judge      median %9.2f ms over %d runs%n", allMs, runs);
            System.out.printf("quota first (the gate)    median %9.2f ms over %d runs%n", firstMs, runs);
            System.out.printf("ratio hash-all / quota-first: %.0fx%n", allMs / firstMs);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static void decide(GovernanceGate gate, Profile profile, DiffResult diff) {
        Decision d = gate.judge(diff.changeset(), profile, 0, "/workspace");
        List<String> rules = d.violations().stream().map(v -> v.rule()).toList();
        if (d.outcome() != Outcome.REJECTED || !rules.contains("storage-quota") || !rules.contains("mass-deletion"))
            throw new IllegalStateException("expected a rejection naming storage-quota and mass-deletion: " + d.outcome() + " " + rules);
    }

    /** 48 base files; the upper deletes 24 of them (char 0:0 whiteouts) and adds a 500 MiB log. */
    private static void build(Path base, Path upper) throws Exception {
        Files.createDirectories(base.resolve("src"));
        Files.createDirectories(upper.resolve("src"));
        for (int i = 0; i < 48; i++) Files.writeString(base.resolve("src/m" + i + ".py"), "value = " + i + "\n");
        for (int i = 0; i < 24; i++) {
            Process p = new ProcessBuilder("mknod", upper.resolve("src/m" + i + ".py").toString(), "c", "0", "0").inheritIO().start();
            if (p.waitFor() != 0) throw new IllegalStateException("mknod failed (the benchmark needs root)");
        }
        byte[] chunk = new byte[(int) MIB];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) ('a' + i % 26);
        try (RandomAccessFile f = new RandomAccessFile(upper.resolve("agent.log").toFile(), "rw")) {
            for (int i = 0; i < 500; i++) f.write(chunk);
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
