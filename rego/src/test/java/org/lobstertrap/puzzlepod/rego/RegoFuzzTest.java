package org.lobstertrap.puzzlepod.rego;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.lobstertrap.puzzlepod.rego.value.Json;

/** Random and mutated sources and queries: only RegoException may escape, and never past the deadline. */
class RegoFuzzTest {
    private static final List<String> SEEDS = List.of(
            "package a\np if { x := input.a[_]; x > 1 }\n",
            "package a\nq contains y if { some y in [1, 2, 3]; y != 2 }\n",
            "package a\nr[k] := v if { some k, v in {\"a\": 1} }\nf(x) := x + 1\ns := f(2)\n",
            "package a\nt := [x | x := data.b[_]]\nu := {x: y | some x, y in t}\nv := count(t) with data.b as [1]\n",
            "package a\ndefault w := 0\nw := 1 if not input.z\nw := 2 if { every x in [1] { x > 0 } } else := 3\n",
            "package a\nimport rego.v1\nz.y[x] := {\"n\": -1.5e3} if x := \"k\"\n");
    private static final List<String> TOKENS = List.of("package", "a", "p", "if", "{", "}", "[", "]", "(", ")", ":=", "=", "==",
            "contains", "in", "some", "every", "not", "with", "as", "else", "default", "input", "data", "x", "y", "_", "1",
            "\"s\"", "`r`", ",", ";", "\n", ".", "|", "&", "+", "-", "*", "/", "%", "<", ">=", "count", "walk", "true", "null", "#c");

    @Provide
    Arbitrary<String> mutatedSource() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        return Arbitraries.lazyOf(() -> seed.flatMap(s -> Arbitraries.integers().between(0, s.length())
                .flatMap(pos -> Arbitraries.integers().between(0, Math.min(8, s.length() - pos))
                        .flatMap(del -> Arbitraries.of(TOKENS).list().ofMaxSize(3)
                                .map(ins -> s.substring(0, pos) + String.join(" ", ins) + s.substring(pos + del))))));
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(40).map(l -> String.join(" ", l));
    }

    @Property(tries = 300)
    void mutatedPoliciesOnlyFailWithRegoException(@ForAll("mutatedSource") String src) {
        runIsolated(src, "x := data.a");
    }

    @Property(tries = 300)
    void tokenSoupOnlyFailsWithRegoException(@ForAll("tokenSoup") String src) {
        runIsolated("package a\n" + src, "x := data.a");
        runIsolated("package a\np := 1\n", src);
    }

    @Property(tries = 100)
    void randomQueriesOverRandomInput(@ForAll("tokenSoup") String query, @ForAll("jsonInput") String input) {
        long t0 = System.nanoTime();
        try {
            new RegoEngine().addModule("a.rego", SEEDS.get(0)).setInput(Json.parse(input))
                    .setOptions(EvalOptions.DEFAULT.withDeadline(Duration.ofMillis(500))).query(query);
        } catch (RegoException expected) {
            assertThat(expected.code()).isNotBlank();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Provide
    Arbitrary<String> jsonInput() {
        return Arbitraries.of("{}", "{\"a\":[1,2,3]}", "[]", "null", "{\"a\":{\"b\":\"c\"}}", "1.5", "\"s\"");
    }

    private static void runIsolated(String src, String query) {
        long t0 = System.nanoTime();
        try {
            new RegoEngine().addModule("fuzz.rego", src)
                    .setOptions(EvalOptions.DEFAULT.withDeadline(Duration.ofMillis(500)).withStepBudget(1_000_000))
                    .query(query);
        } catch (RegoException expected) {
            assertThat(expected.code()).startsWith(expected.code().startsWith("rego_") ? "rego_" : "eval_");
        }
        // anything other than RegoException propagates and fails the property
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
