package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** numbers.*, rounding, bits.*, units.*, rand.intn. */
class NumbersTest {
    @Test void ranges() throws Exception {
        assertThat(json("numbers.range", "2", "-1")).isEqualTo("[2,1,0,-1]");
        assertThat(json("numbers.range", "9223372036854775807", "9223372036854775808"))
                .isEqualTo("[9223372036854775807,9223372036854775808]");
        assertThat(json("numbers.range_step", "10", "3", "2")).isEqualTo("[10,8,6,4]");
        assertThat(error("numbers.range_step", "0", "3", "0").getMessage())
                .endsWith("numbers.range_step: step must be a positive number above zero");
        assertThat(error("numbers.range", "0", "1e12").getMessage()).contains("too large");
        assertThat(error("numbers.range", "0.5", "2").getMessage())
                .isEqualTo("eval_type_error: numbers.range: operand 1 must be integer number but got floating-point number");
    }

    @Test void roundingIsExactAndHalfAwayFromZero() throws Exception {
        assertThat(json("round", "2.5")).isEqualTo("3");
        assertThat(json("round", "-2.5")).isEqualTo("-3");
        assertThat(json("round", "123456789012345678901.5")).isEqualTo("123456789012345678902");
        assertThat(json("ceil", "-1.5")).isEqualTo("-1");
        assertThat(json("floor", "-1.5")).isEqualTo("-2");
        assertThat(json("abs", "-12345678901234567890.25")).isEqualTo("12345678901234567890.25");
    }

    @Test void bitsUseTwosComplementAtAnySize() throws Exception {
        assertThat(json("bits.and", "-1", "5")).isEqualTo("5");
        assertThat(json("bits.or", "-8", "3")).isEqualTo("-5");
        assertThat(json("bits.xor", "18446744073709551615", "1")).isEqualTo("18446744073709551614");
        assertThat(json("bits.negate", "-1")).isEqualTo("0");
        assertThat(json("bits.lsh", "9223372036854775807", "1")).isEqualTo("18446744073709551614");
        assertThat(json("bits.rsh", "-8", "1")).isEqualTo("-4");
        assertThat(json("bits.rsh", "5", "100000000000")).isEqualTo("0");
        assertThat(error("bits.lsh", "1", "-1").getMessage())
                .endsWith("bits.lsh: operand 2 must be an unsigned integer number but got a negative integer");
        assertThat(error("bits.lsh", "1", "100000000").getMessage()).contains("exceeds");
    }

    @Test void unitsParse() throws Exception {
        assertThat(json("units.parse", "\"500m\"")).isEqualTo("0.5");
        assertThat(json("units.parse", "\"1.1Ki\"")).isEqualTo("1126.4");
        assertThat(json("units.parse", "\"10E\"")).isEqualTo("10000000000000000000");
        assertThat(json("units.parse", "\"-3.5E2m\"")).isEqualTo("-0.35");
        assertThat(json("units.parse", "\"1e-2\"")).isEqualTo("0.01");
        assertThat(json("units.parse", "\"1m\"")).isEqualTo("0.001");
        assertThat(json("units.parse", "\"1M\"")).isEqualTo("1000000");
        assertThat(error("units.parse", "\"1 k\"").getMessage()).endsWith("units.parse: spaces not allowed in resource strings");
        assertThat(error("units.parse", "\"k\"").getMessage()).endsWith("units.parse: no amount provided");
        assertThat(error("units.parse", "\"1.2.3\"").getMessage()).endsWith("units.parse: could not parse amount to a number");
        assertThat(error("units.parse", "\"1x\"").getMessage()).endsWith("units.parse: unit x not recognized");
    }

    @Test void unitsParseBytes() throws Exception {
        assertThat(json("units.parse_bytes", "\"1.1KiB\"")).isEqualTo("1126");
        assertThat(json("units.parse_bytes", "\"\\\"100TIB\\\"\"")).isEqualTo("109951162777600");
        assertThat(json("units.parse_bytes", "\"10ei\"")).isEqualTo("11529215046068469760");
        assertThat(json("units.parse_bytes", "\"1e-2KB\"")).isEqualTo("10");
        assertThat(json("units.parse_bytes", "\"5E\"")).isEqualTo("5000000000000000000");
        assertThat(error("units.parse_bytes", "\"GB\"").getMessage()).endsWith("units.parse_bytes: no byte amount provided");
        assertThat(error("units.parse_bytes", "\"1xb\"").getMessage()).endsWith("units.parse_bytes: byte unit xb not recognized");
        assertThat(error("units.parse_bytes", "\"1e99999999KB\"").code()).isEqualTo(RegoException.BUILTIN);
    }

    @Test void randIntnIsStableWithinAQuery() throws Exception {
        BuiltinContext ctx = BuiltinContext.simple();
        Value a = TextCalls.call(ctx, "rand.intn", StringValue.of("k"), NumberValue.of(1000));
        for (int i = 0; i < 5; i++) assertThat(TextCalls.call(ctx, "rand.intn", StringValue.of("k"), NumberValue.of(1000))).isEqualTo(a);
        for (int i = 0; i < 50; i++) {
            long n = ((NumberValue) TextCalls.call(ctx, "rand.intn", StringValue.of("k" + i), NumberValue.of(-7))).longValue();
            assertThat(n).isBetween(0L, 6L);
        }
        assertThat(TextCalls.call(ctx, "rand.intn", StringValue.of("z"), NumberValue.of(0))).isEqualTo(NumberValue.of(0));
        assertThat(BuiltinRegistry.standard().lookup("rand.intn").nondeterministic()).isTrue();
    }
}
