package org.lobstertrap.puzzlepod.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class RegoEngineTest {
    private static final String POLICY = """
            package puzzlepod.commit

            default allow := false

            allow if {
                count(denied) == 0
                input.changes[_].kind == "write"
            }

            denied contains path if {
                some change in input.changes
                path := change.path
                startswith_etc(path)
            }

            startswith_etc(p) if p == "/etc/passwd"

            sizes[c.path] := c.size if some c in input.changes
            """;

    private static Value json(String s) { return Json.parse(s); }

    @Test
    void queriesReturnBindingsPerSolution() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("p.rego", "package t\nxs := [3, 1, 2]\n");
        List<Map<String, Value>> rows = e.query("data.t.xs[i] = x; x > 1");
        assertThat(rows).extracting(r -> r.get("i") + "=" + r.get("x")).containsExactlyInAnyOrder("0=3", "2=2");
    }

    @Test
    void preparedPolicyEvaluatesDocuments() throws RegoException {
        PreparedPolicy p = new RegoEngine().addModule("commit.rego", POLICY).prepare();
        Value ok = json("{\"changes\":[{\"path\":\"/src/a\",\"kind\":\"write\",\"size\":3}]}");
        Value bad = json("{\"changes\":[{\"path\":\"/etc/passwd\",\"kind\":\"write\",\"size\":1}]}");
        assertThat(p.evaluate("data.puzzlepod.commit.allow", ok, EvalOptions.DEFAULT)).hasToString("true");
        assertThat(p.evaluate("data.puzzlepod.commit.allow", bad, EvalOptions.DEFAULT)).hasToString("false");
        assertThat(p.evaluate("data.puzzlepod.commit.denied", bad, EvalOptions.DEFAULT).toJson()).isEqualTo("[\"/etc/passwd\"]");
        assertThat(p.evaluate("data.puzzlepod.commit.sizes", ok, EvalOptions.DEFAULT).toJson()).isEqualTo("{\"/src/a\":3}");
        assertThat(p.evaluate("data.puzzlepod.commit.nothing", ok, EvalOptions.DEFAULT)).isNull();
        assertThat(Json.toJava(p.evaluate("data.puzzlepod.commit", ok, EvalOptions.DEFAULT)))
                .isEqualTo(Map.of("allow", true, "denied", List.of(), "sizes", Map.of("/src/a", 3L)));
    }

    @Test
    void preparedPolicyIsSafeForConcurrentUse() throws Exception {
        PreparedPolicy p = new RegoEngine().addModule("commit.rego", POLICY).prepare();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    String path = n % 2 == 0 ? "/src/" + n : "/etc/passwd";
                    Value in = json("{\"changes\":[{\"path\":\"" + path + "\",\"kind\":\"write\",\"size\":" + n + "}]}");
                    return n + ":" + p.evaluate("data.puzzlepod.commit.allow", in, EvalOptions.DEFAULT);
                }));
            }
            for (int i = 0; i < results.size(); i++) assertThat(results.get(i).get()).isEqualTo(i + ":" + (i % 2 == 0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deadlineCancelsRunawayEvaluation() throws RegoException {
        PreparedPolicy p = new RegoEngine().addModule("slow.rego", """
                package slow
                xs := [x | some x in input]
                n := count([1 | some a in xs; some b in xs; some c in xs; a + b + c < 0])
                """).prepare();
        List<Value> range = new ArrayList<>();
        for (int i = 0; i < 2000; i++) range.add(NumberValue.of(i));
        Value in = Json.fromJava(range);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> p.evaluate("data.slow.n", in, EvalOptions.DEFAULT.withDeadline(Duration.ofMillis(200))))
                .isInstanceOf(RegoException.class)
                .satisfies(e -> assertThat(((RegoException) e).code()).isEqualTo(RegoException.CANCEL));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> p.evaluate("data.slow.n", in, EvalOptions.DEFAULT.withStepBudget(10_000)))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_cancel_error: step budget of 10000 exhausted");
    }

    @Test
    void strictBuiltinErrorsRaiseOtherwiseUndefined() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("d.rego", "package d\np := 1 / input.z\n").setInput(json("{\"z\":0}"));
        assertThat(e.query("x := data.d.p")).isEmpty();
        e.setStrictBuiltinErrors(true);
        assertThatThrownBy(() -> e.query("x := data.d.p")).isInstanceOf(RegoException.class)
                .hasMessage("d.rego:2: eval_builtin_error: div: divide by zero");
    }

    @Test
    void conflictsAreErrorsEvenWhenNotStrict() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("c.rego", "package c\np := 1\np := 2\n");
        assertThatThrownBy(() -> e.query("x := data.c.p")).isInstanceOf(RegoException.class)
                .satisfies(x -> assertThat(((RegoException) x).code()).isEqualTo(RegoException.CONFLICT))
                .hasMessageContaining("complete rules must not produce multiple outputs");
    }

    @Test
    void compileErrorsNameTheProblem() {
        assertThatThrownBy(() -> new RegoEngine().addModule("u.rego", "package u\np if { x > 1 }\n").query("data.u.p"))
                .hasMessage("u.rego:2: rego_unsafe_var_error: var x is unsafe");
        assertThatThrownBy(() -> new RegoEngine().addModule("r.rego", "package r\np if q\nq if p\n").query("data.r.p"))
                .satisfies(x -> assertThat(((RegoException) x).code()).isEqualTo(RegoException.RECURSION));
        assertThatThrownBy(() -> new RegoEngine().addModule("s.rego", "package s\np if { 1 > }\n"))
                .hasMessage("s.rego:2: rego_parse_error: unexpected `}`: expected expression");
        assertThatThrownBy(() -> new RegoEngine().addModule("f.rego", "package f\np := nope(1)\n").query("data.f.p"))
                .hasMessageContaining("undefined function nope");
    }

    @Test
    void inputTermMayHoldSets() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("s.rego", "package s\np := count(input.s & {1, 2})\n");
        e.setInputTerm("{\"s\": {2, 3}}");
        assertThat(e.query("x := data.s.p")).singleElement().satisfies(r -> assertThat(r.get("x")).hasToString("1"));
    }

    @Test
    void withReplacesInputDataAndFunctions() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("w.rego", """
                package w
                f(x) := x + 1
                g(x) := x * 10
                p := f(input.v)
                q := y if y := data.w.p with input.v as 4 with f as g
                r := n if n := count([1, 2, 3]) with count as 7
                """);
        List<Map<String, Value>> rows = e.query("a := data.w.q; b := data.w.r");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("a")).hasToString("40");
            assertThat(r.get("b")).hasToString("7");
        });
    }

    @Test
    void badDataIsRejectedClearly() {
        assertThatThrownBy(() -> new RegoEngine().setData(json("[1]")))
                .hasMessageContaining("data must be an object but got array");
        assertThatThrownBy(() -> new EvalOptions(null, -1, false, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void v0ModulesWithFutureKeywordsParse() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("v0.rego", """
                package old
                import future.keywords.in
                s[x] { x := [1, 2][_] }
                ok { 2 in s }
                """);
        assertThat(e.query("x := data.old")).singleElement()
                .satisfies(r -> assertThat(r.get("x").toJson()).isEqualTo("{\"ok\":true,\"s\":[1,2]}"));
    }
}
