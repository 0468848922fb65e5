package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Array builtins: {@code array.concat}, {@code array.slice}, {@code array.reverse}. */
final class Arrays {
    private Arrays() {}

    static void register(BuiltinRegistry r) {
        r.register("array.concat", 2, (ctx, a) -> {
            ArrayValue x = Args.array("array.concat", a, 0), y = Args.array("array.concat", a, 1);
            if (x.size() == 0) return y;
            if (y.size() == 0) return x;
            Value[] out = new Value[x.size() + y.size()];
            for (int i = 0; i < x.size(); i++) out[i] = x.get(i);
            for (int i = 0; i < y.size(); i++) out[x.size() + i] = y.get(i);
            return ArrayValue.wrap(out);
        });
        r.register("array.slice", 3, (ctx, a) -> {
            ArrayValue arr = Args.array("array.slice", a, 0);
            long start = integer("array.slice", a, 1), stop = integer("array.slice", a, 2);
            // Out-of-range indices are clamped rather than rejected (OPA's behaviour).
            if (start < 0) start = 0;
            if (stop > arr.size()) stop = arr.size();
            if (start >= stop) return ArrayValue.EMPTY;
            Value[] out = new Value[(int) (stop - start)];
            for (int i = 0; i < out.length; i++) out[i] = arr.get((int) start + i);
            return ArrayValue.wrap(out);
        });
        r.register("array.reverse", 1, (ctx, a) -> {
            ArrayValue arr = Args.array("array.reverse", a, 0);
            Value[] out = new Value[arr.size()];
            for (int i = 0; i < out.length; i++) out[i] = arr.get(out.length - 1 - i);
            return ArrayValue.wrap(out);
        });
    }

    /** An integer operand, saturated to the long range (indices beyond it clamp the same way). */
    static long integer(String fn, Value[] args, int i) throws RegoException {
        NumberValue n = Args.number(fn, args, i);
        if (n.isLong()) return n.longValue();
        BigInteger bi = n.bigIntegerOrNull();
        if (bi == null)
            throw RegoException.typeError(fn, "operand " + (i + 1) + " must be integer number but got floating-point number");
        return bi.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
}
