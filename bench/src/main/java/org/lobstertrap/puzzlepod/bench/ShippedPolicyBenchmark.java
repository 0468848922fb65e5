package org.lobstertrap.puzzlepod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.PreparedPolicy;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * The shipped commit policies against the floor of the same engine: one Rego rule that walks every
 * change once and tests one field. The ratio says what the full rule set costs relative to a single pass.
 *
 * <p>Input: a clean project changeset of N changes (default 1000): source files, tests, docs, scripts,
 * a few deletions and permission changes, paths up to four levels deep. Each side evaluates
 * {@code data.puzzlepod.commit.decision} (allow, violations and warnings in one query) once per run. Warm, interleaved, medians printed.
 * Usage: {@code ShippedPolicyBenchmark [runs] [changes] [policies-dir]} (defaults 15, 1000, {@code policies}).
 */
public final class ShippedPolicyBenchmark {
    private static final String REFERENCE = """
            package puzzlepod.commit
            import rego.v1
            default allow := false
            allow if count(violations) == 0
            violations contains c.path if {
            \tsome c in input.changes
            \tc.kind == "Fifo"
            }
            warnings := set()
            decision := {"allow": allow, "violations": violations, "warnings": warnings}
            """;

    private ShippedPolicyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Path.of(args.length > 2 ? args[2] : "policies");
        RegoEngine shipped = new RegoEngine();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".rego")).sorted().toList())
                shipped.addModule(f.getFileName().toString(), Files.readString(f));
        }
        PreparedPolicy ours = shipped.prepare();
        PreparedPolicy ref = new RegoEngine().addModule("reference.rego", REFERENCE).prepare();
        Value input = Json.parse(input(n));
        if (!Boolean.TRUE.equals(Json.toJava(ours.evaluate("data.puzzlepod.commit.allow", input, EvalOptions.DEFAULT))))
            throw new IllegalStateException("the benchmark changeset should commit cleanly: "
                    + Json.write(ours.evaluate("data.puzzlepod.commit.violations", input, EvalOptions.DEFAULT)));

        for (int i = 0; i < 5; i++) { decide(ours, input); decide(ref, input); } // warm-up
        long[] a = new long[runs], b = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            decide(ours, input);
            long t1 = System.nanoTime();
            decide(ref, input);
            long t2 = System.nanoTime();
            a[i] = t1 - t0;
            b[i] = t2 - t1;
        }
        double oursMs = median(a) / 1e6, refMs = median(b) / 1e6;
        System.out.printf("changeset: %d changes%n", n);
        System.out.printf("shipped policies (decision)                  median %8.2f ms over %d runs (%.1f us/change)%n", oursMs, runs, oursMs * 1000 / n);
        System.out.printf("one-pass reference rule                      median %8.2f ms over %d runs%n", refMs, runs);
        System.out.printf("ratio shipped / one pass: %.1fx%n", oursMs / refMs);
    }

    private static void decide(PreparedPolicy p, Value input) throws Exception {
        if (p.evaluate("data.puzzlepod.commit.decision", input, EvalOptions.DEFAULT) == null)
            throw new IllegalStateException("decision is undefined");
    }

    private static String input(int n) {
        String[] dirs = {"src/app", "src/app/core", "tests/unit", "docs/guide", "bin", "lib/util/text"};
        String[] exts = {".py", ".java", ".md", ".sh", ".json", ".ts"};
        StringBuilder sb = new StringBuilder("{\"changes\":[");
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            String kind = i % 50 == 0 ? "Deleted" : i % 20 == 0 ? "MetadataChanged" : i % 3 == 0 ? "Modified" : "Added";
            String path = dirs[i % dirs.length] + "/file" + i + exts[i % exts.length];
            int mode = path.endsWith(".sh") ? 0755 : 0644;
            long size = kind.equals("Deleted") ? 0 : 100 + (i * 37L) % 4000;
            bytes += size;
            if (i > 0) sb.append(',');
            sb.append("{\"path\":\"").append(path).append("\",\"kind\":\"").append(kind)
                    .append("\",\"type\":\"file\",\"directory\":false,\"size\":").append(size)
                    .append(",\"checksum\":null,\"target\":null,\"new_mode\":").append(mode)
                    .append(",\"old_mode\":420,\"old_type\":\"file\",\"uid\":0,\"gid\":0,\"hardlink_of\":null}");
        }
        sb.append("],\"total_changes\":").append(n).append(",\"total_bytes_changed\":").append(bytes)
                .append(",\"storage_quota_bytes\":1073741824,\"inode_quota\":100000,\"allow_symlinks\":false,\"exit_code\":0}");
        return sb.toString();
    }

    private static double median(long[] xs) {
        List<Long> sorted = new ArrayList<>();
        for (long x : xs) sorted.add(x);
        sorted.sort(null);
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2.0;
    }
}
