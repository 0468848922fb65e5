package org.lobstertrap.puzzlepod.rego.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Per-folder table, FAIL lines and the closing {@code N passed, N failed, N skipped} line. */
public final class ConformanceReport {
    private final List<Verdict> verdicts;
    private final Map<String, String> tiers;

    public ConformanceReport(List<Verdict> verdicts) { this(verdicts, Map.of()); }

    /** With a folder → tier map (from {@code INDEX.tsv}), the report also totals each tier. */
    public ConformanceReport(List<Verdict> verdicts, Map<String, String> tiers) {
        this.verdicts = List.copyOf(verdicts);
        this.tiers = Map.copyOf(tiers);
    }

    /** "T1 735/735, T2 …" (passed/total per tier), empty without tiers. */
    public String tierLine() {
        Map<String, int[]> by = new TreeMap<>();
        for (Verdict v : verdicts) {
            String t = tiers.get(v.testCase().folder());
            if (t == null) continue;
            int[] c = by.computeIfAbsent(t, k -> new int[2]);
            if (v.passed()) c[0]++;
            c[1]++;
        }
        StringBuilder sb = new StringBuilder();
        for (var e : by.entrySet()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(e.getValue()[0]).append('/').append(e.getValue()[1]);
        }
        return sb.toString();
    }

    public List<Verdict> verdicts() { return verdicts; }
    public long passed() { return verdicts.stream().filter(Verdict::passed).count(); }
    public long failed() { return verdicts.stream().filter(Verdict::failed).count(); }
    public long skipped() { return verdicts.stream().filter(Verdict::skipped).count(); }

    public String closingLine() { return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped"; }

    /** The folder table: folder, pass, fail, skip, total. */
    public String table() {
        Map<String, int[]> by = new TreeMap<>();
        for (Verdict v : verdicts) {
            int[] c = by.computeIfAbsent(v.testCase().folder(), k -> new int[3]);
            c[v.passed() ? 0 : v.failed() ? 1 : 2]++;
        }
        StringBuilder sb = new StringBuilder(String.format("%-40s %6s %6s %6s %6s%n", "folder", "pass", "fail", "skip", "total"));
        for (var e : by.entrySet()) {
            int[] c = e.getValue();
            sb.append(String.format("%-40s %6d %6d %6d %6d%n", e.getKey(), c[0], c[1], c[2], c[0] + c[1] + c[2]));
        }
        return sb.toString();
    }

    public List<String> failLines() {
        List<String> out = new ArrayList<>();
        for (Verdict v : verdicts) if (v.failed()) out.add(v.failLine());
        return out;
    }

    /** Notes of passing cases (a note passes when every case with it passes), sorted. */
    public List<String> passingNotes() {
        TreeSet<String> pass = new TreeSet<>(), fail = new TreeSet<>();
        for (Verdict v : verdicts) (v.passed() ? pass : fail).add(v.testCase().note());
        pass.removeAll(fail);
        return new ArrayList<>(pass);
    }

    public void writePassing(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, passingNotes());
    }

    /** Passing cases that expected an error whose message did not contain {@code want_error}. */
    public List<Verdict> messageMismatches() {
        List<Verdict> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            ConformanceCase c = v.testCase();
            if (v.passed() && c.wantError() != null && c.wantResult() == null && !v.messageMatches()) out.add(v);
        }
        return out;
    }

    /** The whole report: FAIL lines (when verbose), table, closing line. */
    public String render(boolean verbose) {
        StringBuilder sb = new StringBuilder();
        if (verbose) {
            for (String l : failLines()) sb.append(l).append('\n');
            for (Verdict v : messageMismatches())
                sb.append("MESSAGE ").append(v.testCase().folder()).append('/').append(v.testCase().file()).append(" :: ")
                        .append(v.testCase().note()).append(" :: expected \"").append(v.testCase().wantError()).append("\" got ").append(v.got()).append('\n');
        }
        sb.append(table());
        if (!tiers.isEmpty()) sb.append("tiers: ").append(tierLine()).append('\n');
        long withMessage = verdicts.stream().filter(v -> v.passed() && v.testCase().wantError() != null && v.testCase().wantResult() == null).count();
        sb.append("expected errors passing by code: ").append(withMessage).append(", message also matching: ")
                .append(withMessage - messageMismatches().size()).append('\n');
        sb.append(closingLine()).append('\n');
        return sb.toString();
    }
}
