package org.lobstertrap.puzzlepod.rego.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads a directory of OPA-format YAML cases and runs them all (optionally one folder). */
public final class ConformanceSuite {
    private ConformanceSuite() {}

    /** Skip list beside the cases' root ({@code skip.txt} in the parent directory), empty when absent. */
    public static Map<String, String> skipsFor(Path root) throws IOException {
        Path p = root.toAbsolutePath().getParent() == null ? null : root.toAbsolutePath().getParent().resolve("skip.txt");
        if (p == null || !Files.exists(p)) return Map.of();
        return CaseRunner.parseSkips(Files.readAllLines(p));
    }

    /** Folder → tier from {@code INDEX.tsv} beside the cases' root (columns with a header "dir" and "tier"); empty when absent. */
    public static Map<String, String> tiersFor(Path root) throws IOException {
        Path parent = root.toAbsolutePath().getParent();
        Path p = parent == null ? null : parent.resolve("INDEX.tsv");
        if (p == null || !Files.exists(p)) return Map.of();
        List<String> lines = Files.readAllLines(p);
        if (lines.isEmpty()) return Map.of();
        List<String> header = List.of(lines.getFirst().split("\t"));
        int dir = header.indexOf("dir"), tier = header.indexOf("tier");
        if (dir < 0 || tier < 0) return Map.of();
        Map<String, String> m = new java.util.HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split("\t");
            if (c.length > Math.max(dir, tier)) m.put(c[dir], c[tier]);
        }
        return m;
    }

    public static ConformanceReport run(Path root, String folder) throws IOException {
        List<ConformanceCase> cases = CaseLoader.loadAll(root);
        Map<String, String> skips = skipsFor(root);
        List<Verdict> verdicts = new ArrayList<>();
        for (ConformanceCase c : cases) {
            if (folder != null && !c.folder().equals(folder)) continue;
            verdicts.add(CaseRunner.run(c, skips));
        }
        return new ConformanceReport(verdicts, tiersFor(root));
    }
}
