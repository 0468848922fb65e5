package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Expected strings are Go's fmt.Sprintf output for the values OPA passes (int, *big.Int, float64, string). */
class SprintfTest {
    private static String sprintf(String format, String argsJson) throws Exception {
        Value r = TextCalls.call("sprintf", StringValue.of(format), TextCalls.v(argsJson));
        return ((StringValue) r).value();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "%d|[5]|5",
        "%5d|[5]|'    5'",
        "%-5d!|[5]|'5    !'",
        "%05d|[-42]|-0042",
        "%+d|[5]|+5",
        "% d|[5]|' 5'",
        "%.3d|[7]|007",
        "%x|[255]|ff",
        "%X|[255]|FF",
        "%#x|[255]|0xff",
        "%#08x|[255]|0x000000ff",
        "%o|[8]|10",
        "%#o|[8]|010",
        "%O|[8]|0o10",
        "%b|[5]|101",
        "%c|[65]|A",
        "%q|[65]|'''A'''",
        "%U|[65]|U+0041",
        "%#U|[65]|'U+0041 ''A'''",
        "%02X.%02X|[127, 1]|7F.01",
        "%.2f|[3.14159]|3.14",
        "%08.3f|[-3.14159]|-003.142",
        "%e|[1234.5678]|1.234568e+03",
        "%E|[0.000123]|1.230000E-04",
        "%g|[1234.5678]|1234.5678",
        "%v|[0.000001]|1e-06",
        "%v|[123456789.5]|1.234567895e+08",
        "%.3g|[3.14159]|3.14",
        "%.0f|[2.5]|2",
        "%.0f|[3.5]|4",
        "%f|[0.1]|0.100000",
        "%6.2f|[1.5]|'  1.50'",
        "%+.1f|[1.25]|+1.2",
        "%s|[\"there\"]|there",
        "%10s|[\"x\"]|'         x'",
        "%-4s!|[\"x\"]|'x   !'",
        "%.2s|[\"héllo\"]|hé",
        "%q|[\"a\\\"b\"]|'\"a\\\"b\"'",
        "%x|[\"hi\"]|6869",
        "% x|[\"hi\"]|68 69",
        "%#x|[\"hi\"]|0x6869",
        "%v|[\"s\"]|s",
        "%s|[true]|true",
        "%v|[null]|null",
        "%v|[[\"there\", 5, 3.14]]|'[\"there\", 5, 3.14]'",
        "%v|[{\"b\": [1], \"a\": \"x\"}]|'{\"a\": \"x\", \"b\": [1]}'",
        "%d|[\"x\"]|%!d(string=x)",
        "%s|[5]|%!s(int=5)",
        "%d|[3.5]|%!d(float64=3.5)",
        "%d %d|[1]|1 %!d(MISSING)",
        "%d|[1, \"a\"]|1%!(EXTRA string=a)",
        "%z|[1]|%!z(int=1)",
        "abc%|[]|abc%!(NOVERB)",
        "100%%|[]|100%",
        "%[2]d %[1]d|[1, 2]|2 1",
        "%[3]d|[1]|%!d(BADINDEX)",
        "%*d|[5, 42]|'   42'",
        "%-*d!|[4, 7]|'7   !'",
        "%.*f|[2, 3.14159]|3.14",
        "%T %T %T|[1, 1.5, \"a\"]|int float64 string",
        "%d|[123456789012345678901234567890]|123456789012345678901234567890",
        "%s|[1208925819614629174706175]|1208925819614629174706175",
        "%x|[18446744073709551616]|10000000000000000",
        "%+d|[18446744073709551616]|+18446744073709551616",
        "%30d|[18446744073709551616]|'          18446744073709551616'",
        "%c|[18446744073709551616]|%!c(big.Int=18446744073709551616)",
        "%v|[2e308]|2e308",
    })
    void matchesGo(String format, String args, String expected) throws Exception {
        assertThat(sprintf(format, args)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test void setsPrintSortedAndEmptySetAsSetCall() throws Exception {
        Value set = SetValue.of(TextCalls.v("3"), TextCalls.v("1"), TextCalls.v("\"a\""));
        Value r = TextCalls.call("sprintf", StringValue.of("%v %v"), ArrayValue.of(set, SetValue.EMPTY));
        assertThat(((StringValue) r).value()).isEqualTo("{1, 3, \"a\"} set()");
    }

    @org.junit.jupiter.api.Test void controlCharactersInCompositesAreGoQuoted() throws Exception {
        assertThat(sprintf("%v", "[[\"a\\nb\\u0001\"]]")).isEqualTo("[\"a\\nb\\x01\"]");
    }
}
