package org.lobstertrap.puzzlepod.bench.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/** Percentiles and clean-up shared by the daemon benchmarks. */
final class Benchmarks {
    private Benchmarks() {}

    static long percentile(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(s.length * p / 100.0))];
    }

    static long median(long[] v) { return percentile(v, 50); }

    static void removeTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
