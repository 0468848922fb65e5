package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;

class StringsTest {
    @Test void concatJoinsArraysAndSortedSets() throws Exception {
        assertThat(json("concat", "\"/\"", "[\"\",\"foo\",\"bar\"]")).isEqualTo("\"/foo/bar\"");
        assertThat(TextCalls.call("concat", TextCalls.v("\",\""),
                org.lobstertrap.puzzlepod.rego.value.SetValue.of(TextCalls.v("\"b\""), TextCalls.v("\"a\""))).toJson()).isEqualTo("\"a,b\"");
        RegoException e = error("concat", "\",\"", "[\"a\", 1]");
        assertThat(e.code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(e.getMessage()).isEqualTo("eval_type_error: concat: operand 2 must be array of strings but got array containing number");
        assertThat(error("concat", "\",\"", "1").getMessage()).endsWith("operand 2 must be one of {set, array} but got number");
    }

    @Test void indexPositionsCountRunes() throws Exception {
        assertThat(json("indexof", "\"skön var våren\"", "\"vår\"")).isEqualTo("9");
        assertThat(json("indexof", "\"\uD83D\uDE07\uD83D\uDE00\"", "\"\uD83D\uDE00\"")).isEqualTo("1");
        assertThat(json("indexof", "\"abc\"", "\"z\"")).isEqualTo("-1");
        assertThat(json("indexof_n", "\"aaa\"", "\"aa\"")).isEqualTo("[0,1]");
        assertThat(error("indexof", "\"abc\"", "\"\"").getMessage()).isEqualTo("eval_builtin_error: indexof: empty search character");
    }

    @Test void substringByRunes() throws Exception {
        assertThat(json("substring", "\"aåäö\"", "1", "2")).isEqualTo("\"åä\"");
        assertThat(json("substring", "\"abc\"", "1", "-1")).isEqualTo("\"bc\"");
        assertThat(json("substring", "\"abc\"", "5", "1")).isEqualTo("\"\"");
        assertThat(error("substring", "\"abc\"", "-1", "1").getMessage()).endsWith("substring: negative offset");
        assertThat(error("substring", "\"abc\"", "1.5", "1").getMessage()).endsWith("operand 2 must be integer number but got floating-point number");
    }

    @Test void splitAndReplaceFollowGoForEmptySeparators() throws Exception {
        assertThat(json("split", "\"a.b..c\"", "\".\"")).isEqualTo("[\"a\",\"b\",\"\",\"c\"]");
        assertThat(json("split", "\"añb\"", "\"\"")).isEqualTo("[\"a\",\"ñ\",\"b\"]");
        assertThat(json("split", "\"\"", "\",\"")).isEqualTo("[\"\"]");
        assertThat(json("replace", "\"ab\"", "\"\"", "\"-\"")).isEqualTo("\"-a-b-\"");
        assertThat(json("replace", "\"foo...bar\"", "\"..\"", "\",,\"")).isEqualTo("\"foo,,.bar\"");
    }

    @Test void replaceNPrefersTheFirstKeyInSortedOrder() throws Exception {
        assertThat(json("strings.replace_n", "{\"f\":\"x\",\"foo\":\"xxx\"}", "\"foobar\"")).isEqualTo("\"xoobar\"");
        assertThat(json("strings.replace_n", "{\"<\":\"&lt;\",\">\":\"&gt;\"}", "\"<b>\"")).isEqualTo("\"&lt;b&gt;\"");
        assertThat(json("strings.replace_n", "{}", "\"abc\"")).isEqualTo("\"abc\"");
        assertThat(error("strings.replace_n", "{\"a\":1}", "\"abc\"").getMessage())
                .endsWith("strings.replace_n: operand 1 non-string value found in pattern object");
    }

    @Test void trimFamily() throws Exception {
        assertThat(json("trim", "\"¡¡¡foo, bar!!!\"", "\"!¡\"")).isEqualTo("\"foo, bar\"");
        assertThat(json("trim_left", "\"xxaxx\"", "\"x\"")).isEqualTo("\"axx\"");
        assertThat(json("trim_right", "\"xxaxx\"", "\"x\"")).isEqualTo("\"xxa\"");
        assertThat(json("trim_prefix", "\"prefix-a\"", "\"prefix-\"")).isEqualTo("\"a\"");
        assertThat(json("trim_suffix", "\"a.txt\"", "\".txt\"")).isEqualTo("\"a\"");
        // Go's unicode.IsSpace includes NBSP and the ideographic space
        assertThat(json("trim_space", "\"\\u00a0\\u3000 a b\\t\\n\"")).isEqualTo("\"a b\"");
    }

    @Test void caseReverseCount() throws Exception {
        assertThat(json("lower", "\"ÀBC\"")).isEqualTo("\"àbc\"");
        assertThat(json("upper", "\"àbc\"")).isEqualTo("\"ÀBC\"");
        assertThat(json("strings.reverse", "\"1\uD83D\uDE00x\"")).isEqualTo("\"x\uD83D\uDE001\"");
        assertThat(json("strings.count", "\"cheese\"", "\"e\"")).isEqualTo("3");
        assertThat(json("strings.count", "\"aaaa\"", "\"aa\"")).isEqualTo("2");
        assertThat(json("strings.count", "\"ab\"", "\"\"")).isEqualTo("3");
        assertThat(error("strings.reverse", "1").getMessage()).isEqualTo("eval_type_error: strings.reverse: operand 1 must be string but got number");
    }

    @Test void formatIntTruncatesAndHandlesBigNumbers() throws Exception {
        assertThat(json("format_int", "15.9", "16")).isEqualTo("\"f\"");
        assertThat(json("format_int", "-15.9", "2")).isEqualTo("\"-1111\"");
        assertThat(json("format_int", "18446744073709551616", "16")).isEqualTo("\"10000000000000000\"");
        assertThat(error("format_int", "1", "3").getMessage()).endsWith("format_int: operand 2 must be one of {2, 8, 10, 16}");
    }

    @Test void prefixAndSuffixMatching() throws Exception {
        assertThat(json("strings.any_prefix_match", "[\"a/b\",\"c/d\"]", "\"c/\"")).isEqualTo("true");
        assertThat(json("strings.any_suffix_match", "\"a/b\"", "[\"/c\",\"/b\"]")).isEqualTo("true");
        assertThat(json("strings.any_suffix_match", "[]", "[\"/b\"]")).isEqualTo("false");
        assertThat(error("strings.any_prefix_match", "[1]", "\"a\"").getMessage())
                .endsWith("strings.any_prefix_match: operand 1 must be array of strings but got array containing number");
        assertThat(error("strings.any_prefix_match", "\"a\"", "null").getMessage())
                .endsWith("operand 2 must be one of {string, set, array} but got null");
    }

    @Test void predicates() throws Exception {
        assertThat(json("contains", "\"abc\"", "\"bc\"")).isEqualTo("true");
        assertThat(json("startswith", "\"abc\"", "\"b\"")).isEqualTo("false");
        assertThat(json("endswith", "\"abc\"", "\"bc\"")).isEqualTo("true");
        assertThat(error("contains", "1", "\"a\"").code()).isEqualTo(RegoException.EVAL_TYPE);
    }
}
