package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

class RenderTemplateTest {
    private static String render(String template, String varsJson) throws Exception {
        return ((StringValue) TextCalls.call("strings.render_template", StringValue.of(template), TextCalls.v(varsJson))).value();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "{{.a.b}}|{\"a\":{\"b\":\"x\"}}|x",
        "{{range .xs}}[{{.}}]{{else}}none{{end}}|{\"xs\":[]}|none",
        "{{range .xs}}[{{.}}]{{end}}|{\"xs\":[1,\"a\"]}|[1][a]",
        "{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}|{\"m\":{\"b\":2,\"a\":1}}|a=1;b=2;",
        "{{range $i, $n := .xs}}{{if $i}},{{end}}hi {{$n}}{{end}}|{\"xs\":[\"a\",\"b\"]}|hi a,hi b",
        "{{if eq .x \"y\"}}yes{{else if .z}}z{{else}}no{{end}}|{\"x\":\"n\",\"z\":true}|z",
        "{{if not .z}}a{{else}}b{{end}}|{\"z\":false}|a",
        "{{with .o}}{{.p}}{{end}}|{\"o\":{\"p\":\"q\"}}|q",
        "{{.l}} {{.m}} {{.n}}|{\"l\":[1,\"a\"],\"m\":{\"k\":\"v\"},\"n\":null}|[1 a] map[k:v] <no value>",
        "a  {{- .x -}}  b|{\"x\":\"X\"}|aXb",
        "{{len .l}} {{index .l 1}} {{index .m \"k\"}}|{\"l\":[1,\"a\"],\"m\":{\"k\":\"v\"}}|2 a v",
        "{{/* note */}}ok|{}|ok",
        "{{$v := .x}}{{$v}}{{$v}} {{$.x}}|{\"x\":\"X\"}|XX X",
    })
    void rendersLikeGoTextTemplate(String template, String vars, String expected) throws Exception {
        assertThat(render(template, vars)).isEqualTo(expected);
    }

    @Test void errorsAreBuiltinErrors() {
        RegoException e = TextCalls.error("strings.render_template", "\"{{.nope}}\"", "{\"x\":1}");
        assertThat(e.code()).isEqualTo(RegoException.BUILTIN);
        assertThat(e.getMessage()).contains("map has no entry for key \"nope\"");
        assertThat(TextCalls.error("strings.render_template", "\"{{if .x}}a\"", "{\"x\":1}").getMessage()).contains("unexpected EOF");
        assertThat(TextCalls.error("strings.render_template", "\"{{.x | printf}}\"", "{\"x\":1}").getMessage()).contains("unsupported pipeline");
        assertThat(TextCalls.error("strings.render_template", "\"x\"", "[]").code()).isEqualTo(RegoException.EVAL_TYPE);
    }
}
