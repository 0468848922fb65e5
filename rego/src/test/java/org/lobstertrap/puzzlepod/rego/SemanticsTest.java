package org.lobstertrap.puzzlepod.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Evaluation semantics beyond the OPA suite: ordering for safety, scoping, with, conflicts. */
class SemanticsTest {
    private static String eval(String module, String query) throws RegoException {
        List<Map<String, Value>> rows = new RegoEngine().addModule("t.rego", module).query("x := " + query);
        return rows.isEmpty() ? "undefined" : rows.getFirst().get("x").toJson();
    }

    @Test
    void bodiesAreReorderedForSafety() throws RegoException {
        assertThat(eval("package t\np := y if { y > 1; y = 2 }\n", "data.t.p")).isEqualTo("2");
        assertThat(eval("package t\np := [x | x > 1; x = [1, 2, 3][_]]\n", "data.t.p")).isEqualTo("[2,3]");
    }

    @Test
    void comprehensionsHaveTheirOwnScope() throws RegoException {
        assertThat(eval("package t\np := x if { y := [x | x := 1]; x := count(y) + 1 }\n", "data.t.p")).isEqualTo("2");
    }

    @Test
    void everyAndNegation() throws RegoException {
        String m = "package t\nxs := [1, 2, 3]\nall_pos if every x in xs { x > 0 }\nno_big if not big\nbig if { some x in xs; x > 5 }\n";
        assertThat(eval(m, "[data.t.all_pos, data.t.no_big]")).isEqualTo("[true,true]");
    }

    @Test
    void withOnPartialRulesAndNestedInput() throws RegoException {
        String m = "package t\ns contains v if some v in input.l\nn := count(s)\nq := y if y := n with input.l as [1, 1, 2]\n"
                + "r := z if z := input.a.b with input.a.b as 7\n";
        assertThat(eval(m, "[data.t.q, data.t.r]")).isEqualTo("[2,7]");
        assertThat(eval(m, "data.t.s with data.t.s as {9}")).isEqualTo("[9]");
    }

    @Test
    void conflictsRaise() {
        assertThatThrownBy(() -> eval("package t\no[k] := v if { some k, v in [\"a\", \"b\"] }\no[0] := 5\n", "data.t.o"))
                .hasMessageContaining("eval_conflict_error");
        assertThatThrownBy(() -> eval("package t\nf(x) := 1\nf(x) := 2\n", "data.t.f(0)"))
                .hasMessageContaining("functions must not produce multiple outputs for same inputs");
        assertThatThrownBy(() -> eval("package t\np := {k: v | some pair in [[0, 1], [0, 2]]; k := pair[0]; v := pair[1]}\n", "data.t.p"))
                .hasMessageContaining("eval_conflict_error");
    }

    @Test
    void dataMergesBaseAndVirtualDocuments() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("t.rego", "package a.b\np := 1\nf(x) := x\n")
                .setData(Json.parse("{\"a\":{\"c\":2}}"));
        assertThat(e.query("x := data").getFirst().get("x").toJson()).isEqualTo("{\"a\":{\"b\":{\"p\":1},\"c\":2}}");
        assertThat(e.query("data.a[k] = v").stream().map(r -> r.get("k").toJson()).sorted().toList()).containsExactly("\"b\"", "\"c\"");
    }

    @Test
    void elseChainsAndDefaults() throws RegoException {
        String m = "package t\ndefault d := \"none\"\nd := \"big\" if input.n > 10\nf(x) := \"a\" if x == 1 else := \"b\" if x == 2 else := \"c\"\n";
        assertThat(eval(m, "[data.t.d, data.t.f(1), data.t.f(2), data.t.f(3)]")).isEqualTo("[\"none\",\"a\",\"b\",\"c\"]");
    }
}
