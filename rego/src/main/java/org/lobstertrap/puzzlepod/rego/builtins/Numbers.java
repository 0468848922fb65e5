package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Number builtins: ranges, {@code abs}, {@code round} (half away from zero), {@code ceil},
 * {@code floor} — all exact — and the non-deterministic {@code rand.intn}.
 */
final class Numbers {
    private Numbers() {}

    /** Ranges longer than this are refused: a policy asking for more is a mistake, not a workload. */
    static final long MAX_RANGE = 50_000_000L;

    static void register(BuiltinRegistry r) {
        r.register("numbers.range", 2, (c, a) -> range(c, "numbers.range",
                IntegerOperands.big("numbers.range", a, 0), IntegerOperands.big("numbers.range", a, 1), BigInteger.ONE));
        r.register("numbers.range_step", 3, (c, a) -> {
            BigInteger from = IntegerOperands.big("numbers.range_step", a, 0);
            BigInteger to = IntegerOperands.big("numbers.range_step", a, 1);
            BigInteger step = IntegerOperands.big("numbers.range_step", a, 2);
            if (step.signum() <= 0) throw RegoException.builtin("numbers.range_step", "step must be a positive number above zero");
            return range(c, "numbers.range_step", from, to, step);
        });
        r.register("abs", 1, (c, a) -> {
            NumberValue n = Args.number("abs", a, 0);
            return n.signum() < 0 ? NumberValue.of(n.bigDecimal().negate()) : n;
        });
        r.register("round", 1, (c, a) -> NumberValue.of(Args.number("round", a, 0).bigDecimal().setScale(0, RoundingMode.HALF_UP)));
        r.register("ceil", 1, (c, a) -> NumberValue.of(Args.number("ceil", a, 0).bigDecimal().setScale(0, RoundingMode.CEILING)));
        r.register("floor", 1, (c, a) -> NumberValue.of(Args.number("floor", a, 0).bigDecimal().setScale(0, RoundingMode.FLOOR)));
        r.register("rand.intn", 2, Numbers::randIntn, true);
    }

    private static Value range(BuiltinContext ctx, String fn, BigInteger from, BigInteger to, BigInteger step) throws RegoException {
        BigInteger span = to.subtract(from).abs().divide(step);
        if (span.compareTo(BigInteger.valueOf(MAX_RANGE)) >= 0)
            throw RegoException.builtin(fn, "range of " + span.add(BigInteger.ONE) + " numbers is too large");
        int n = span.intValueExact() + 1;
        List<Value> out = new ArrayList<>(n);
        BigInteger delta = from.compareTo(to) <= 0 ? step : step.negate();
        if (from.bitLength() < 63 && to.bitLength() < 63 && step.bitLength() < 32) {
            long x = from.longValue(), d = delta.longValue();
            for (int i = 0; i < n; i++, x += d) {
                if ((i & 4095) == 4095) ctx.checkBudget();
                out.add(NumberValue.of(x));
            }
        } else {
            BigInteger x = from;
            for (int i = 0; i < n; i++, x = x.add(delta)) {
                if ((i & 4095) == 4095) ctx.checkBudget();
                out.add(NumberValue.of(x));
            }
        }
        return ArrayValue.of(out);
    }

    private static Value randIntn(BuiltinContext ctx, Value[] a) throws RegoException {
        String key = Args.string("rand.intn", a, 0);
        long n = IntegerOperands.longValue("rand.intn", a, 1);
        if (n == 0) return NumberValue.of(0);
        if (n < 0) n = n == Long.MIN_VALUE ? Long.MAX_VALUE : -n;
        // Same key and bound within one query give the same number, as in OPA.
        List<Object> cacheKey = List.of("rand.intn", key, n);
        Object cached = ctx.queryCache().get(cacheKey);
        if (cached instanceof Value v) return v;
        Value result = NumberValue.of(ctx.random().nextLong(n));
        ctx.queryCache().put(cacheKey, result);
        return result;
    }
}
