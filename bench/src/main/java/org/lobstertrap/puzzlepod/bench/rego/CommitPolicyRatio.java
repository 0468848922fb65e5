package org.lobstertrap.puzzlepod.bench.rego;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The commit-gate ratio measured interleaved: each round times the prepared Rego policy and the
 * hand-coded gate back to back on the same thread, by thread CPU time (robust on a loaded machine) and by
 * wall time, and the medians over the rounds are reported with their ratio. Complements the JMH benchmark
 * ({@link CommitPolicyBenchmark}), whose separate runs drift apart when the machine's load changes.
 *
 * <p>Usage: {@code CommitPolicyRatio [rounds]} (default 30).
 */
public final class CommitPolicyRatio {
    private CommitPolicyRatio() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        CommitPolicyBenchmark b = new CommitPolicyBenchmark();
        b.setup(); // fails unless both gates agree
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (int i = 0; i < 15; i++) sink = b.rego();
        for (int i = 0; i < 200; i++) sink = b.handCoded();
        int javaReps = 20;
        double[] regoCpu = new double[rounds], javaCpu = new double[rounds], regoWall = new double[rounds], javaWall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            sink = b.rego();
            long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
            for (int i = 0; i < javaReps; i++) sink = b.handCoded();
            long c2 = mx.getCurrentThreadCpuTime(), w2 = System.nanoTime();
            regoCpu[r] = c1 - c0;
            regoWall[r] = w1 - w0;
            javaCpu[r] = (c2 - c1) / (double) javaReps;
            javaWall[r] = (w2 - w1) / (double) javaReps;
        }
        if (sink == null) throw new IllegalStateException("no result");
        double rc = median(regoCpu), jc = median(javaCpu), rw = median(regoWall), jw = median(javaWall);
        System.out.printf("rounds %d, %d changes%n", rounds, b.typedInput.changes().size());
        System.out.printf("cpu  : rego %.2f ms, hand-coded %.3f ms, ratio %.1fx%n", rc / 1e6, jc / 1e6, rc / jc);
        System.out.printf("wall : rego %.2f ms, hand-coded %.3f ms, ratio %.1fx%n", rw / 1e6, jw / 1e6, rw / jw);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
