package org.lobstertrap.puzzlepod.rego.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.ast.Call;
import org.lobstertrap.puzzlepod.rego.ast.Literal;
import org.lobstertrap.puzzlepod.rego.ast.ParsedModule;
import org.lobstertrap.puzzlepod.rego.ast.Rule;

class ParserTest {
    @Test
    void parsesV1RuleForms() throws RegoException {
        ParsedModule m = Parser.parseModule("m.rego", """
                package a.b
                import rego.v1
                import data.x as y

                default allow := false
                allow if { input.user == "admin" } # trailing comment
                s contains v if some v in [1, 2]
                o[k] := v if { some k, v in {"a": 1} }
                p.q[r].s := 1 if r := "t"
                f(x) := x + 1
                g(x) := 1 if x > 0 else := 2
                raw := `a\\b`
                """);
        assertThat(m.packagePath()).containsExactly("a", "b");
        assertThat(m.imports()).hasSize(2);
        assertThat(m.rules()).hasSize(8);
        Rule s = m.rules().get(2);
        assertThat(s.isSetRule()).isTrue();
        Rule g = m.rules().get(6);
        assertThat(g.elseRule()).isNotNull();
        assertThat(m.rules().get(7).value().toString()).contains("a\\\\b");
    }

    @Test
    void v0PartialSetWithFutureKeywords() throws RegoException {
        ParsedModule m = Parser.parseModule("v0.rego", "package v\nimport future.keywords.if\np[x] { x := 1 }\n");
        assertThat(m.rules().getFirst().isSetRule()).isTrue();
    }

    @Test
    void operatorPrecedenceFollowsOpa() throws RegoException {
        var body = Parser.parseQuery("x := 1 + 2 * 3 == 7");
        var assign = (Literal.Assign) body.exprs().getFirst().literal();
        Call eq = (Call) assign.right();
        assertThat(eq.name()).isEqualTo("equal");
        assertThat(((Call) eq.args().getFirst()).name()).isEqualTo("plus");
        var member = (Literal.TermLit) Parser.parseQuery("1 in {1} | {2}").exprs().getFirst().literal();
        assertThat(((Call) member.term()).name()).isEqualTo("internal.member_2");
    }

    @Test
    void refsNeedAdjacentBrackets() throws RegoException {
        // `x [0]` on a new line is a separate literal, `x[0]` a reference
        assertThat(Parser.parseQuery("x := [1]\n[0] = y").exprs()).hasSize(2);
        assertThat(Parser.parseQuery("x[0] = y").exprs()).hasSize(1);
    }

    @Test
    void errorsCarryLocationAndExpectation() {
        assertThatThrownBy(() -> Parser.parseModule("e.rego", "package e\n\np if {\n  x :=\n}\n"))
                .isInstanceOf(RegoException.class)
                .hasMessage("e.rego:5: rego_parse_error: unexpected `}`: expected expression")
                .satisfies(e -> assertThat(((RegoException) e).col()).isEqualTo(1));
        assertThatThrownBy(() -> Parser.parseModule("e.rego", "p := 1\n"))
                .hasMessage("e.rego:1: rego_parse_error: unexpected `p`: expected `package`");
        assertThatThrownBy(() -> Parser.parseModule("e.rego", "package e\np := \"abc\n"))
                .hasMessageContaining("non-terminated string");
        assertThatThrownBy(() -> Parser.parseQuery("x := 1 2")).hasMessageContaining("unexpected `2`: expected end of expression");
        assertThatThrownBy(() -> Parser.parseModule("e.rego", "package e\np := 1 $ 2\n")).hasMessageContaining("illegal character '$'");
    }

    @Test
    void metadataBlocksAreParsed() throws RegoException {
        ParsedModule m = Parser.parseModule("m.rego", """
                # METADATA
                # title: pkg
                package m

                # METADATA
                # authors:
                # - Ann <ann@example.org>
                p := 1
                """);
        assertThat(m.packageAnnotations().toJson()).isEqualTo("{\"title\":\"pkg\"}");
        assertThat(m.ruleAnnotations().getFirst().toJson()).isEqualTo("{\"authors\":[{\"email\":\"ann@example.org\",\"name\":\"Ann\"}]}");
    }
}
