package org.lobstertrap.puzzlepod.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lobstertrap.puzzlepod.bench.rego.CommitInput;
import org.lobstertrap.puzzlepod.bench.rego.HandCodedCommitGate;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;
import org.lobstertrap.puzzlepod.daemon.gate.Decision;
import org.lobstertrap.puzzlepod.daemon.gate.GovernanceGate;
import org.lobstertrap.puzzlepod.daemon.gate.Outcome;
import org.lobstertrap.puzzlepod.daemon.gate.PolicyStore;

/**
 * The governance gate's policy step as the daemon runs it — policy input built from a {@link Changeset}
 * and the profile, the full shipped rule set ({@code policies/}) evaluated with the daemon's deadline and
 * step budget, the decision assembled — over the 1 000-change {@link CommitInput#realistic()} changeset
 * (diff excluded), against the hand-coded Java gate over the same changes, interleaved on one thread.
 * A third series evaluates the shipped policy alone (no input building), which separates the gate's own
 * overhead from the engine's. Thread CPU and wall medians; ratios against the hand-coded gate.
 *
 * <p>Usage: {@code GateBenchmark [rounds] [policies-dir] [profiles-dir]} (defaults 20, {@code policies}, {@code profiles}).
 */
public final class GateBenchmark {
    private GateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        PolicyStore policies = PolicyStore.open(Path.of(args.length > 1 ? args[1] : "policies"));
        if (!policies.snapshot().loaded()) throw new IllegalStateException("shipped policies not loaded: " + policies.snapshot().error());
        Profile profile = ProfileRepository.load(Path.of(args.length > 2 ? args[2] : "profiles")).get("standard");
        GovernanceGate gate = GovernanceGate.judging(policies, new GovernanceGate.Settings(Duration.ofMinutes(1), 10_000_000_000L,
                false, 1, 0, Duration.ZERO), Clock.systemUTC());
        CommitInput typed = CommitInput.realistic();
        Changeset changeset = toChangeset(typed);
        Decision d = gate.judge(changeset, profile, 0, "/workspace");
        if (d.outcome() != Outcome.REJECTED || d.violations().size() < 10)
            throw new IllegalStateException("the planted problems should be found: " + d.outcome() + " " + d.violations());
        if (HandCodedCommitGate.evaluate(typed).allow()) throw new IllegalStateException("the hand-coded gate should reject too");

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (int i = 0; i < 10; i++) sink = gate.judge(changeset, profile, 0, "/workspace");
        for (int i = 0; i < 200; i++) sink = HandCodedCommitGate.evaluate(typed);
        int javaReps = 20;
        double[] gateCpu = new double[rounds], gateWall = new double[rounds], evalCpu = new double[rounds],
                javaCpu = new double[rounds], javaWall = new double[rounds];
        var input = org.lobstertrap.puzzlepod.daemon.gate.PolicyInputBuilder.build(changeset, profile, "/workspace", 0);
        for (int r = 0; r < rounds; r++) {
            long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            sink = gate.judge(changeset, profile, 0, "/workspace");
            long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
            for (int i = 0; i < javaReps; i++) sink = HandCodedCommitGate.evaluate(typed);
            long c2 = mx.getCurrentThreadCpuTime(), w2 = System.nanoTime();
            sink = policies.evaluate(input, gate.evalOptions());
            long c3 = mx.getCurrentThreadCpuTime();
            gateCpu[r] = c1 - c0;
            gateWall[r] = w1 - w0;
            javaCpu[r] = (c2 - c1) / (double) javaReps;
            javaWall[r] = (w2 - w1) / (double) javaReps;
            evalCpu[r] = c3 - c2;
        }
        if (sink == null) throw new IllegalStateException("no result");
        double gc = median(gateCpu), gw = median(gateWall), ec = median(evalCpu), jc = median(javaCpu), jw = median(javaWall);
        System.out.printf("rounds %d, %d changes, %d violations found%n", rounds, changeset.size(), d.violations().size());
        System.out.printf("cpu  : gate %.2f ms (policy alone %.2f ms), hand-coded %.3f ms, ratio gate/hand-coded %.1fx%n",
                gc / 1e6, ec / 1e6, jc / 1e6, gc / jc);
        System.out.printf("wall : gate %.2f ms, hand-coded %.3f ms, ratio %.1fx%n", gw / 1e6, jw / 1e6, gw / jw);
        System.out.printf("gate overhead over the policy alone (input building, decision): %.2fx%n", gc / ec);
    }

    /** The typed benchmark rows as the diff would deliver them. */
    static Changeset toChangeset(CommitInput in) {
        List<Change> out = new ArrayList<>();
        for (CommitInput.Entry e : in.changes()) {
            ChangeKind kind = ChangeKind.valueOf(e.kind());
            int mode = kind == ChangeKind.Deleted ? 0100644 : e.newMode();
            Integer oldMode = kind == ChangeKind.Added || kind == ChangeKind.Symlink || kind == ChangeKind.Fifo ? null : 0100644;
            out.add(new Change(RelPath.of(e.path()), kind, false, e.size(), mode, 1000, 1000, e.checksum(),
                    e.target() == null ? null : e.target().getBytes(java.nio.charset.StandardCharsets.UTF_8), null, 0, oldMode));
        }
        return new Changeset(out);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
