package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code sprintf(format, values)}: Go's {@code fmt.Sprintf} over the values as OPA hands them to Go:
 * integers as {@code int} (or {@code *big.Int} beyond 64 bits), other numbers as {@code float64}
 * (or their text when out of float range), strings as Go strings, and everything else as its Rego
 * text ({@code true}, {@code null}, {@code ["a", 1]}, {@code {1, 2}}, {@code set()}).
 */
final class Sprintf {
    private Sprintf() {}

    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);

    static void register(BuiltinRegistry r) {
        r.register("sprintf", 2, Sprintf::sprintf);
    }

    private static Value sprintf(BuiltinContext ctx, Value[] a) throws RegoException {
        String format = Args.string("sprintf", a, 0);
        ArrayValue values = Args.array("sprintf", a, 1);
        GoFormat.Arg[] args = new GoFormat.Arg[values.size()];
        for (int i = 0; i < args.length; i++) args[i] = toGo(values.get(i));
        return StringValue.of(GoFormat.sprintf(format, args));
    }

    /** The Go value OPA passes to fmt for a Rego value. */
    static GoFormat.Arg toGo(Value v) {
        if (v instanceof StringValue s) return new GoFormat.Str(s.value());
        if (v instanceof NumberValue n) {
            BigInteger i = n.bigIntegerOrNull();
            BigDecimal abs = n.bigDecimal().abs();
            boolean inFloatRange = abs.compareTo(MAX_DOUBLE) <= 0;
            if (i != null && (i.bitLength() < 64 || inFloatRange)) return new GoFormat.Int(i, i.bitLength() >= 64);
            if (inFloatRange) return new GoFormat.Float(n.doubleValue());
            // Beyond float64 OPA prints the number's text: keep it short, in Go's exponent form.
            return new GoFormat.Str(exponentText(n.bigDecimal()));
        }
        return new GoFormat.Str(ValueText.of(v));
    }

    private static String exponentText(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        String digits = s.unscaledValue().abs().toString();
        long exp = -(long) s.scale();
        String sign = s.signum() < 0 ? "-" : "";
        if (digits.length() == 1) return sign + digits + "e" + exp;
        return sign + digits.charAt(0) + "." + digits.substring(1) + "e" + (exp + digits.length() - 1);
    }
}
