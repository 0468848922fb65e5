package org.lobstertrap.puzzlepod.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.parser.Parser;
import org.lobstertrap.puzzlepod.rego.value.Json;

class DeepNestingTest {
    private static String nested(int depth) { return "[".repeat(depth) + "1" + "]".repeat(depth); }

    @Test
    void tenThousandNestedArraysParseAndEvaluate() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("deep.rego", "package deep\np := " + nested(10_000) + "\nn := count(p)\n");
        assertThat(e.query("x := data.deep.n")).singleElement().satisfies(r -> assertThat(r.get("x")).hasToString("1"));
        assertThat(e.query("x := data.deep.p")).singleElement().satisfies(r -> assertThat(r.get("x").toJson()).hasSize(20_001));
    }

    @Test
    void deeplyNestedInputEvaluates() throws RegoException {
        RegoEngine e = new RegoEngine().addModule("in.rego", "package in\np := input == input\n");
        e.setInput(Json.parse(nested(10_000)));
        assertThat(e.query("x := data.in.p")).singleElement().satisfies(r -> assertThat(r.get("x")).hasToString("true"));
    }

    @Test
    void nestingBeyondTheLimitIsAParseError() {
        String deep = nested(Parser.MAX_NESTING + 1);
        assertThatThrownBy(() -> new RegoEngine().addModule("x.rego", "package x\np := " + deep + "\n"))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("rego_parse_error: terms nested more than " + Parser.MAX_NESTING + " levels deep");
    }
}
