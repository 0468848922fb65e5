package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code + - * / %} on exact numbers (long fast path, BigDecimal otherwise); {@code -} on sets is set
 * difference. A quotient that has no finite decimal form is rounded to 19 significant digits (about the
 * precision of OPA's 64-bit-mantissa big floats).
 */
final class Arithmetic {
    private Arithmetic() {}

    static final MathContext DIV_CONTEXT = new MathContext(19, RoundingMode.HALF_EVEN);

    static void register(BuiltinRegistry r) {
        r.register("plus", 2, (ctx, a) -> {
            NumberValue x = Args.number("plus", a, 0), y = Args.number("plus", a, 1);
            if (x.isLong() && y.isLong()) {
                long s = x.longValue() + y.longValue();
                if (((x.longValue() ^ s) & (y.longValue() ^ s)) >= 0) return NumberValue.of(s);
            }
            return NumberValue.of(x.bigDecimal().add(y.bigDecimal()));
        });
        r.register("minus", 2, (ctx, a) -> {
            if (a[0] instanceof NumberValue x) {
                NumberValue y = Args.number("minus", a, 1);
                if (x.isLong() && y.isLong()) {
                    long d = x.longValue() - y.longValue();
                    if (((x.longValue() ^ y.longValue()) & (x.longValue() ^ d)) >= 0) return NumberValue.of(d);
                }
                return NumberValue.of(x.bigDecimal().subtract(y.bigDecimal()));
            }
            if (a[0] instanceof SetValue x) {
                SetValue y = Args.set("minus", a, 1);
                SetValue.Builder b = SetValue.builder();
                for (Value v : x.asSet()) if (!y.contains(v)) b.add(v);
                return b.build();
            }
            throw Args.mismatch("minus", 0, "one of {number, set}", a[0]);
        });
        r.register("mul", 2, (ctx, a) -> {
            NumberValue x = Args.number("mul", a, 0), y = Args.number("mul", a, 1);
            if (x.isLong() && y.isLong()) {
                long hi = Math.multiplyHigh(x.longValue(), y.longValue()), lo = x.longValue() * y.longValue();
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) return NumberValue.of(lo);
            }
            return NumberValue.of(x.bigDecimal().multiply(y.bigDecimal()));
        });
        r.register("div", 2, (ctx, a) -> {
            NumberValue x = Args.number("div", a, 0), y = Args.number("div", a, 1);
            if (y.signum() == 0) throw RegoException.builtin("div", "divide by zero");
            return divide(x.bigDecimal(), y.bigDecimal());
        });
        r.register("rem", 2, (ctx, a) -> {
            NumberValue x = Args.number("rem", a, 0), y = Args.number("rem", a, 1);
            BigInteger xi = x.bigIntegerOrNull(), yi = y.bigIntegerOrNull();
            if (xi == null || yi == null) throw RegoException.builtin("rem", "modulo on floating-point number");
            if (yi.signum() == 0) throw RegoException.builtin("rem", "modulo by zero");
            if (x.isLong() && y.isLong()) return NumberValue.of(x.longValue() % y.longValue());
            return NumberValue.of(xi.remainder(yi));
        });
    }

    static NumberValue divide(BigDecimal x, BigDecimal y) {
        try {
            return NumberValue.of(x.divide(y));
        } catch (ArithmeticException nonTerminating) {
            return NumberValue.of(x.divide(y, DIV_CONTEXT));
        }
    }
}
