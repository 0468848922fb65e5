package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code to_number} and the deprecated {@code cast_*} builtins. {@code to_number} accepts exactly what
 * Go's {@code strconv.ParseFloat} accepts (decimal and hexadecimal floats) and keeps the value exact;
 * NaN and infinities are rejected, as are values beyond float64 range (Go reports them out of range).
 */
final class Casts {
    private Casts() {}

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)");
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);

    static void register(BuiltinRegistry r) {
        r.register("to_number", 1, Casts::toNumber);
        r.register("cast_array", 1, (c, a) -> switch (a[0]) {
            case ArrayValue arr -> arr;
            case SetValue s -> ArrayValue.of(s.sortedElements());
            default -> throw Args.mismatch("cast_array", 0, "one of {array, set}", a[0]);
        });
        r.register("cast_set", 1, (c, a) -> switch (a[0]) {
            case ArrayValue arr -> SetValue.of(arr.asList());
            case SetValue s -> s;
            default -> throw Args.mismatch("cast_set", 0, "one of {array, set}", a[0]);
        });
        r.register("cast_string", 1, (c, a) -> { Args.string("cast_string", a, 0); return a[0]; });
        r.register("cast_boolean", 1, (c, a) -> { Args.bool("cast_boolean", a, 0); return a[0]; });
        r.register("cast_null", 1, (c, a) -> {
            if (!(a[0] instanceof NullValue)) throw Args.mismatch("cast_null", 0, "null", a[0]);
            return a[0];
        });
        r.register("cast_object", 1, (c, a) -> { Args.object("cast_object", a, 0); return a[0]; });
    }

    private static Value toNumber(BuiltinContext ctx, Value[] a) throws RegoException {
        return switch (a[0]) {
            case NullValue n -> NumberValue.of(0);
            case BooleanValue b -> NumberValue.of(b.value() ? 1 : 0);
            case NumberValue n -> n;
            case StringValue s -> parseNumber(s.value());
            default -> throw Args.mismatch("to_number", 0, "one of {null, boolean, number, string}", a[0]);
        };
    }

    /** Parses like Go's strconv.ParseFloat but keeps the exact decimal value. */
    static NumberValue parseNumber(String text) throws RegoException {
        String bare = text.replaceFirst("^[+-]+", "").toLowerCase(Locale.ROOT);
        if (bare.equals("inf") || bare.equals("infinity") || bare.equals("nan"))
            throw RegoException.typeError("to_number", "operand 1 must be valid number string but got string");
        BigDecimal value;
        if (DECIMAL.matcher(text).matches()) {
            try {
                value = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException e) { // exponent beyond int range
                throw outOfRange(text);
            }
        } else {
            Matcher m = HEX.matcher(text);
            if (!m.matches() || (m.group(2).isEmpty() && (m.group(3) == null || m.group(3).isEmpty())))
                throw RegoException.builtin("to_number", "strconv.ParseFloat: parsing " + GoQuote.quote(text) + ": invalid syntax");
            String frac = m.group(3) == null ? "" : m.group(3);
            BigInteger mant = new BigInteger((m.group(2) + frac).isEmpty() ? "0" : m.group(2) + frac, 16);
            long exp = Long.parseLong(m.group(4)) - 4L * frac.length();
            if (Math.abs(exp) > 100_000) throw outOfRange(text);
            value = new BigDecimal(mant);
            value = exp >= 0 ? value.multiply(BigDecimal.valueOf(2).pow((int) exp))
                    : value.divide(BigDecimal.valueOf(2).pow((int) -exp));
            if (m.group(1).equals("-")) value = value.negate();
        }
        if (value.abs().compareTo(MAX_DOUBLE) > 0) throw outOfRange(text);
        return NumberValue.of(value);
    }

    private static RegoException outOfRange(String text) {
        return RegoException.builtin("to_number", "strconv.ParseFloat: parsing " + GoQuote.quote(text) + ": value out of range");
    }
}
