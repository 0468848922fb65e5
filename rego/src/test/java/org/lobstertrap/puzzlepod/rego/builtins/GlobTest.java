package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

class GlobTest {
    @ParameterizedTest(name = "{0} {1} {2} = {3}")
    @CsvSource(delimiter = '|', value = {
        "*.github.com|[\".\"]|api.github.com|true",
        "*.github.com|[\".\"]|api.cdn.github.com|false",
        "**.github.com|[\".\"]|api.cdn.github.com|true",
        "*|[]|foo.bar|false",
        "*|null|foo.bar|true",
        "*/x|[\"/\", \".\"]|a.b/x|false",
        "?at|[\"f\"]|fat|false",
        "[!a-c]at|[]|fat|true",
        "{cat,{b,r}at}|[]|rat|true",
        "{cat,{b,r}at}|[]|fat|false",
        "a\\*b|[]|a*b|true",
        "a\\*b|[]|axb|false",
        "a,b|[]|a,b|true",
        "(a)+|[]|(a)+|true",
        "[a-c]|[]|b|true",
        "x}|[]|x}|true",
    })
    void matches(String pattern, String delimiters, String text, boolean expected) throws Exception {
        assertThat(json("glob.match", StringValue.of(pattern).toJson(), delimiters, StringValue.of(text).toJson()))
                .isEqualTo(Boolean.toString(expected));
    }

    @Test void quoteMetaRoundTrips() throws Exception {
        String s = "a*b?[c]{d}\\e";
        String quoted = ((StringValue) TextCalls.call("glob.quote_meta", StringValue.of(s))).value();
        assertThat(quoted).isEqualTo("a\\*b\\?\\[c\\]\\{d\\}\\\\e");
        assertThat(json("glob.match", StringValue.of(quoted).toJson(), "null", StringValue.of(s).toJson())).isEqualTo("true");
    }

    @Test void badGlobsAndDelimitersAreErrors() {
        assertThat(TextCalls.error("glob.match", "\"[abc\"", "[]", "\"a\"").getMessage()).contains("unclosed '['");
        assertThat(TextCalls.error("glob.match", "\"{a,b\"", "[]", "\"a\"").getMessage()).contains("unclosed '{'");
        assertThat(TextCalls.error("glob.match", "\"a\"", "[\"ab\"]", "\"a\"").getMessage())
                .endsWith("glob.match: operand 2 must be array of runes but got array containing string");
        assertThat(TextCalls.error("glob.match", "\"a\"", "1", "\"a\"").getMessage())
                .endsWith("glob.match: operand 2 must be one of {array, null} but got number");
    }
}
