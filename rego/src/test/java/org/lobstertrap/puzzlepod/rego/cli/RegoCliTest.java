package org.lobstertrap.puzzlepod.rego.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegoCliTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = RegoCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void evalPrintsResultsLikeOpa() throws IOException {
        Path policy = Files.writeString(dir.resolve("p.rego"), "package p\nallow if input.n > data.limit\n");
        Path data = Files.writeString(dir.resolve("d.json"), "{\"limit\": 2}");
        Path input = Files.writeString(dir.resolve("i.json"), "{\"n\": 3}");
        Run r = run("eval", "-d", policy.toString(), "-d", data.toString(), "-i", input.toString(), "data.p.allow");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).isEqualTo("{\"result\":[{\"expressions\":[{\"value\":true,\"text\":\"data.p.allow\"}]}]}");
        Run v = run("eval", "--format=value", "-d", policy.toString(), "-d", data.toString(), "-i", input.toString(), "x := data.limit");
        assertThat(v.out().strip()).isEqualTo("2");
    }

    @Test
    void evalFailsWithNonZeroExitOnErrors() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.rego"), "package p\nallow if {\n");
        Run r = run("eval", "-d", bad.toString(), "data.p.allow");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.rego:3: rego_parse_error");
        Path p = Files.writeString(dir.resolve("z.rego"), "package z\np := 1 / 0\n");
        Run strict = run("eval", "--strict", "--timeout", "2s", "-d", p.toString(), "data.z.p");
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.err()).contains("eval_builtin_error: div: divide by zero");
        assertThat(run("eval", "--timeout", "soon", "-d", p.toString(), "data.z.p").err()).contains("invalid duration soon");
    }

    @Test
    void conformanceRunsAnyDirectoryOfCases() throws IOException {
        Path cases = Files.createDirectories(dir.resolve("cases/demo"));
        Files.writeString(cases.resolve("t.yaml"), """
                cases:
                  - note: demo/sets sort
                    query: data.t.p = x
                    modules:
                      - |
                        package t
                        p := {3, 1, 2}
                    want_result:
                      - x: [1, 2, 3]
                  - note: demo/wrong on purpose
                    query: data.t.p = x
                    modules:
                      - |
                        package t
                        p := 1.0
                    want_result:
                      - x: 2
                """);
        Path passing = dir.resolve("out/passing.txt");
        Run r = run("conformance", dir.resolve("cases").toString(), "--verbose", "--passing", passing.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL demo/t.yaml :: demo/wrong on purpose :: wrong_result :: expected {x=2} got {x=1}")
                .contains("1 passed, 1 failed, 0 skipped");
        assertThat(Files.readAllLines(passing)).containsExactly("demo/sets sort");
    }
}
