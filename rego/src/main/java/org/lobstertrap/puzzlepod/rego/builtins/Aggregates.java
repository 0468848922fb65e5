package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.*;

/**
 * Aggregates ({@code count sum product max min sort all any}) and the membership operators behind
 * {@code x in xs} ({@code internal.member_2}) and {@code k, v in xs} ({@code internal.member_3}).
 */
final class Aggregates {
    private Aggregates() {}

    static void register(BuiltinRegistry r) {
        r.register("count", 1, (ctx, a) -> switch (a[0]) {
            case ArrayValue x -> NumberValue.of(x.size());
            case ObjectValue x -> NumberValue.of(x.size());
            case SetValue x -> NumberValue.of(x.size());
            case StringValue x -> NumberValue.of(x.value().codePointCount(0, x.value().length()));
            default -> throw Args.mismatch("count", 0, "one of {array, object, set, string}", a[0]);
        });
        r.register("sum", 1, (ctx, a) -> {
            BigDecimal s = BigDecimal.ZERO;
            long ls = 0;
            boolean fast = true;
            for (Value v : elements("sum", a[0])) {
                if (!(v instanceof NumberValue n)) throw RegoException.typeError("sum", "operand 1 must be one of {array, set} but got " + a[0].typeName() + " containing " + v.typeName());
                if (fast && n.isLong()) {
                    long t = ls + n.longValue();
                    if (((ls ^ t) & (n.longValue() ^ t)) < 0) { fast = false; s = BigDecimal.valueOf(ls).add(n.bigDecimal()); }
                    else ls = t;
                } else {
                    if (fast) { s = BigDecimal.valueOf(ls); fast = false; }
                    s = s.add(n.bigDecimal());
                }
            }
            return fast ? NumberValue.of(ls) : NumberValue.of(s);
        });
        r.register("product", 1, (ctx, a) -> {
            BigDecimal p = BigDecimal.ONE;
            for (Value v : elements("product", a[0])) {
                if (!(v instanceof NumberValue n)) throw RegoException.typeError("product", "operand 1 must be one of {array, set} but got " + a[0].typeName() + " containing " + v.typeName());
                p = p.multiply(n.bigDecimal());
            }
            return NumberValue.of(p);
        });
        r.register("max", 1, (ctx, a) -> {
            Value best = null;
            for (Value v : elements("max", a[0])) if (best == null || v.compareTo(best) > 0) best = v;
            return best;
        });
        r.register("min", 1, (ctx, a) -> {
            Value best = null;
            for (Value v : elements("min", a[0])) if (best == null || v.compareTo(best) < 0) best = v;
            return best;
        });
        r.register("sort", 1, (ctx, a) -> {
            if (a[0] instanceof SetValue s) return ArrayValue.of(s.sortedElements());
            ArrayValue arr = Args.array("sort", a, 0);
            Value[] items = arr.asList().toArray(new Value[0]);
            Arrays.sort(items);
            return ArrayValue.wrap(items);
        });
        r.register("all", 1, (ctx, a) -> {
            for (Value v : elements("all", a[0])) if (!BooleanValue.TRUE.equals(v)) return BooleanValue.FALSE;
            return BooleanValue.TRUE;
        });
        r.register("any", 1, (ctx, a) -> {
            for (Value v : elements("any", a[0])) if (BooleanValue.TRUE.equals(v)) return BooleanValue.TRUE;
            return BooleanValue.FALSE;
        });
        r.register("internal.member_2", 2, (ctx, a) -> BooleanValue.of(switch (a[1]) {
            case ArrayValue x -> x.asList().contains(a[0]);
            case SetValue x -> x.contains(a[0]);
            case ObjectValue x -> { for (Value k : x.sortedKeys()) if (x.get(k).equals(a[0])) yield true; yield false; }
            default -> false;
        }));
        r.register("internal.member_3", 3, (ctx, a) -> {
            Value v = switch (a[2]) {
                case ArrayValue x -> a[0] instanceof NumberValue n && n.isLong() && n.longValue() >= 0 && n.longValue() < x.size()
                        ? x.get((int) n.longValue()) : null;
                case ObjectValue x -> x.get(a[0]);
                case SetValue x -> x.contains(a[0]) ? a[0] : null;
                default -> null;
            };
            return BooleanValue.of(v != null && v.equals(a[1]));
        });
    }

    private static Collection<Value> elements(String fn, Value v) throws RegoException {
        return switch (v) {
            case ArrayValue x -> x.asList();
            case SetValue x -> Arrays.asList(x.sortedElements());
            default -> throw Args.mismatch(fn, 0, "one of {array, set}", v);
        };
    }
}
