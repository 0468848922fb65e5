package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.SetValue;

class TypesCastsSemverTest {
    @Test void typeTests() throws Exception {
        assertThat(json("is_number", "1.5")).isEqualTo("true");
        assertThat(json("is_number", "null")).isEqualTo("false");
        assertThat(json("is_string", "\"\"")).isEqualTo("true");
        assertThat(json("is_boolean", "false")).isEqualTo("true");
        assertThat(json("is_array", "{}")).isEqualTo("false");
        assertThat(json("is_object", "{}")).isEqualTo("true");
        assertThat(json("is_null", "null")).isEqualTo("true");
        assertThat(TextCalls.call("is_set", SetValue.EMPTY).toJson()).isEqualTo("true");
        assertThat(TextCalls.call("type_name", SetValue.EMPTY).toJson()).isEqualTo("\"set\"");
        assertThat(json("type_name", "[1]")).isEqualTo("\"array\"");
    }

    @Test void toNumber() throws Exception {
        assertThat(json("to_number", "\"-42.0\"")).isEqualTo("-42");
        assertThat(json("to_number", "\"+1e3\"")).isEqualTo("1000");
        assertThat(json("to_number", "\".5\"")).isEqualTo("0.5");
        assertThat(json("to_number", "\"0x1p-2\"")).isEqualTo("0.25");
        assertThat(json("to_number", "\"123456789012345678901234567890\"")).isEqualTo("123456789012345678901234567890");
        assertThat(json("to_number", "true")).isEqualTo("1");
        assertThat(json("to_number", "null")).isEqualTo("0");
        assertThat(error("to_number", "\"broken\"").getMessage())
                .isEqualTo("eval_builtin_error: to_number: strconv.ParseFloat: parsing \"broken\": invalid syntax");
        assertThat(error("to_number", "\" 1\"").code()).isEqualTo(RegoException.BUILTIN);
        assertThat(error("to_number", "\"1e400\"").getMessage()).endsWith("value out of range");
        for (String s : List.of("nan", "-Inf", "+infinity", "NaN"))
            assertThat(error("to_number", "\"" + s + "\"").code()).as(s).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(error("to_number", "[]").getMessage()).endsWith("operand 1 must be one of {null, boolean, number, string} but got array");
    }

    @Test void casts() throws Exception {
        assertThat(TextCalls.call("cast_array", SetValue.of(TextCalls.v("2"), TextCalls.v("1"))).toJson()).isEqualTo("[1,2]");
        assertThat(TextCalls.call("cast_set", TextCalls.v("[2,1,2]"))).isEqualTo(SetValue.of(TextCalls.v("1"), TextCalls.v("2")));
        assertThat(json("cast_string", "\"a\"")).isEqualTo("\"a\"");
        assertThat(json("cast_boolean", "true")).isEqualTo("true");
        assertThat(json("cast_null", "null")).isEqualTo("null");
        assertThat(json("cast_object", "{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(error("cast_array", "1").getMessage()).endsWith("cast_array: operand 1 must be one of {array, set} but got number");
        assertThat(error("cast_null", "1").getMessage()).endsWith("cast_null: operand 1 must be null but got number");
    }

    @Test void semverPrecedenceFollowsTheSpec() throws Exception {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                String r = json("semver.compare", "\"" + ordered.get(i) + "\"", "\"" + ordered.get(j) + "\"");
                assertThat(r).as(ordered.get(i) + " vs " + ordered.get(j)).isEqualTo(Integer.toString(Integer.signum(Integer.compare(i, j))));
            }
        }
        assertThat(json("semver.compare", "\"1.0.0+build.1\"", "\"1.0.0+build.2\"")).isEqualTo("0");
        assertThat(json("semver.is_valid", "\"1.0.0-rc.1+meta\"")).isEqualTo("true");
        assertThat(json("semver.is_valid", "\"1.0\"")).isEqualTo("false");
        assertThat(json("semver.is_valid", "\"1.0.0-\"")).isEqualTo("true");
        assertThat(json("semver.is_valid", "\"1.0.0-a..b\"")).isEqualTo("false");
        assertThat(json("semver.is_valid", "1")).isEqualTo("false");
        assertThat(error("semver.compare", "\"1\"", "\"1.0.0\"").getMessage())
                .isEqualTo("eval_builtin_error: semver.compare: operand 1: string \"1\" is not a valid SemVer");
    }
}
