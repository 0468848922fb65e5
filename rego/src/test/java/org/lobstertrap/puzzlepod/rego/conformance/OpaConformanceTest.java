package org.lobstertrap.puzzlepod.rego.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * OPA's v1 conformance suite, one dynamic test per case. Cases in the ratchet ({@code passing.txt}: a
 * note, or {@code folder/} for a whole folder) must pass; other failing cases are reported as aborted
 * (skipped), never as passed. Skipped cases ({@code skip.txt}) are aborted with their reason.
 */
class OpaConformanceTest {
    private static final Path ROOT = Path.of("conformance/opa-v1");
    private static final Path RATCHET = Path.of("conformance/passing.txt");

    @TestFactory
    List<DynamicTest> opaV1() throws IOException {
        assertTrue(Files.isDirectory(ROOT), "conformance cases missing: expected " + ROOT.toAbsolutePath());
        assertTrue(Files.exists(RATCHET), "ratchet missing: expected " + RATCHET.toAbsolutePath());
        Set<String> ratchet = new HashSet<>();
        for (String l : Files.readAllLines(RATCHET)) if (!l.isBlank() && !l.startsWith("#")) ratchet.add(l.strip());
        Map<String, String> skips = ConformanceSuite.skipsFor(ROOT);
        List<Verdict> verdicts = new ArrayList<>();
        for (ConformanceCase c : CaseLoader.loadAll(ROOT)) verdicts.add(CaseRunner.run(c, skips));
        ConformanceReport report = new ConformanceReport(verdicts, ConformanceSuite.tiersFor(ROOT));
        report.writePassing(Path.of("target/opa-conformance/passing.txt"));
        Files.write(Path.of("target/opa-conformance/failures.txt"), report.failLines());
        String rendered = report.render(false);
        System.out.print(rendered);
        // the closing lines (error-code tally and "N passed, N failed, N skipped") for CI's summary
        String[] lines = rendered.strip().split("\n");
        Files.writeString(Path.of("target/opa-conformance/summary.txt"),
                String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 2), lines.length)) + "\n");
        List<DynamicTest> tests = new ArrayList<>();
        for (Verdict v : verdicts) {
            ConformanceCase c = v.testCase();
            boolean required = ratchet.contains(c.note()) || ratchet.contains(c.folder() + "/");
            tests.add(DynamicTest.dynamicTest(c.displayName(), () -> {
                if (v.passed()) return;
                if (v.skipped()) Assumptions.abort(v.got());
                if (required) fail(v.failLine());
                Assumptions.abort("not yet passing (not in the ratchet): " + v.failLine());
            }));
        }
        return tests;
    }
}
