package org.lobstertrap.puzzlepod.rego.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

class CaseRunnerTest {
    private static ConformanceCase resultCase(String module, String query, String wantJson, boolean sort) {
        Value want = Json.parse(wantJson);
        List<Map<String, Value>> rows = new java.util.ArrayList<>();
        for (Value row : ((org.lobstertrap.puzzlepod.rego.value.ArrayValue) want).asList()) {
            Map<String, Value> m = new java.util.LinkedHashMap<>();
            var o = (org.lobstertrap.puzzlepod.rego.value.ObjectValue) row;
            for (Value k : o.sortedKeys()) m.put(((org.lobstertrap.puzzlepod.rego.value.StringValue) k).value(), o.get(k));
            rows.add(m);
        }
        return new ConformanceCase("f", "f.yaml", "f/n", query, List.of(module), null, null, null, rows, null, null, sort, false);
    }

    @Test
    void rowsCompareAsSetsWithNumbersByValueAndHiddenVarsDropped() {
        var c = resultCase("package t\nxs := [2, 1.0]\n", "data.t.xs[_] = x; __y = 1", "[{\"x\":1},{\"x\":2.0}]", false);
        assertThat(CaseRunner.run(c, Map.of()).category()).isEqualTo("pass");
    }

    @Test
    void sortBindingsSortsArrays() {
        var c = resultCase("package t\nxs := [2, 1]\n", "x = data.t.xs", "[{\"x\":[1,2]}]", true);
        assertThat(CaseRunner.run(c, Map.of()).category()).isEqualTo("pass");
        var unsorted = resultCase("package t\nxs := [2, 1]\n", "x = data.t.xs", "[{\"x\":[1,2]}]", false);
        assertThat(CaseRunner.run(unsorted, Map.of()).category()).isEqualTo("wrong_result");
    }

    @Test
    void expectedErrorsPassOnTheCode() {
        var c = new ConformanceCase("f", "f.yaml", "f/e", "data.t.p = x", List.of("package t\np := 1 % 0\n"), null, null, null,
                null, "eval_builtin_error", "something else", false, true);
        Verdict v = CaseRunner.run(c, Map.of());
        assertThat(v.category()).isEqualTo("pass");
        assertThat(v.messageMatches()).isFalse();
        var nonStrict = new ConformanceCase("f", "f.yaml", "f/e", "data.t.p = x", List.of("package t\np := 1 % 0\n"), null, null, null,
                null, "eval_builtin_error", null, false, false);
        assertThat(CaseRunner.run(nonStrict, Map.of()).category()).isEqualTo("missing_error");
    }

    @Test
    void skipsNeedReasons() {
        assertThat(CaseRunner.parseSkips(List.of("# comment", "a/b :: needs network"))).containsEntry("a/b", "needs network");
        assertThatThrownBy(() -> CaseRunner.parseSkips(List.of("a/b"))).hasMessageContaining("without a reason");
        var c = resultCase("package t\n", "x = 1", "[{\"x\":1}]", false);
        assertThat(CaseRunner.run(c, Map.of("f/n", "needs a clock")).category()).isEqualTo("skip");
    }
}
