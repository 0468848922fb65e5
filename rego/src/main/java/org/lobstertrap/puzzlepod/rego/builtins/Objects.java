package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Object builtins: {@code object.get}, {@code object.keys}, {@code object.union}, {@code object.union_n},
 * {@code object.remove}, {@code object.filter}, {@code object.subset}. Keys may be any value.
 */
final class Objects {
    private Objects() {}

    static void register(BuiltinRegistry r) {
        r.register("object.get", 3, (ctx, a) -> {
            ObjectValue obj = Args.object("object.get", a, 0);
            if (!(a[1] instanceof ArrayValue path)) {
                Value v = obj.get(a[1]);
                return v != null ? v : a[2];
            }
            Value v = find(obj, path);
            return v != null ? v : a[2];
        });
        r.register("object.keys", 1, (ctx, a) -> SetValue.of(Args.object("object.keys", a, 0).asMap().keySet()));
        r.register("object.union", 2, (ctx, a) ->
                union(Args.object("object.union", a, 0), Args.object("object.union", a, 1)));
        r.register("object.union_n", 1, (ctx, a) -> {
            ArrayValue arr = Args.array("object.union_n", a, 0);
            ObjectValue acc = ObjectValue.EMPTY;
            for (Value e : arr.asList()) {
                if (!(e instanceof ObjectValue o))
                    throw RegoException.typeError("object.union_n",
                            "operand 1 must be array of object but got array containing " + e.typeName());
                acc = union(acc, o);
            }
            return acc;
        });
        r.register("object.remove", 2, (ctx, a) -> {
            ObjectValue obj = Args.object("object.remove", a, 0);
            List<Value> keys = keys("object.remove", a);
            ObjectValue.Builder out = ObjectValue.builder();
            java.util.Set<Value> drop = new java.util.HashSet<>(keys);
            for (var e : obj.asMap().entrySet()) if (!drop.contains(e.getKey())) out.put(e.getKey(), e.getValue());
            return out.build();
        });
        r.register("object.filter", 2, (ctx, a) -> {
            ObjectValue obj = Args.object("object.filter", a, 0);
            ObjectValue.Builder out = ObjectValue.builder();
            for (Value k : keys("object.filter", a)) {
                Value v = obj.get(k);
                if (v != null) out.put(k, v);
            }
            return out.build();
        });
        r.register("object.subset", 2, (ctx, a) -> {
            Value sup = a[0], sub = a[1];
            boolean ok = (sup instanceof ObjectValue && sub instanceof ObjectValue)
                    || (sup instanceof SetValue && sub instanceof SetValue)
                    || (sup instanceof ArrayValue && (sub instanceof ArrayValue || sub instanceof SetValue));
            if (!ok)
                throw RegoException.typeError("object.subset",
                        "both arguments object.subset must be of the same type or array and set");
            return BooleanValue.of(isSubset(sup, sub));
        });
    }

    /** Follows a path of keys/indices through objects, arrays and sets; null when it leads nowhere. */
    static Value find(Value root, ArrayValue path) {
        Value cur = root;
        for (Value seg : path.asList()) {
            switch (cur) {
                case ObjectValue o -> cur = o.get(seg);
                case ArrayValue arr -> {
                    if (!(seg instanceof NumberValue n) || !n.isLong() || n.longValue() < 0 || n.longValue() >= arr.size())
                        return null;
                    cur = arr.get((int) n.longValue());
                }
                case SetValue s -> cur = s.contains(seg) ? seg : null;
                default -> { return null; }
            }
            if (cur == null) return null;
        }
        return cur;
    }

    /** Deep merge: nested objects are merged, anything else on the right wins. */
    static ObjectValue union(ObjectValue left, ObjectValue right) {
        if (left.isEmpty()) return right;
        if (right.isEmpty()) return left;
        ObjectValue.Builder b = ObjectValue.builder();
        for (var e : left.asMap().entrySet()) b.put(e.getKey(), e.getValue());
        for (var e : right.asMap().entrySet()) {
            Value l = left.get(e.getKey());
            if (l instanceof ObjectValue lo && e.getValue() instanceof ObjectValue ro) b.put(e.getKey(), union(lo, ro));
            else b.put(e.getKey(), e.getValue());
        }
        return b.build();
    }

    private static List<Value> keys(String fn, Value[] a) throws RegoException {
        return switch (a[1]) {
            case ObjectValue o -> new ArrayList<>(o.asMap().keySet());
            case SetValue s -> new ArrayList<>(s.asSet());
            case ArrayValue arr -> arr.asList();
            default -> throw Args.mismatch(fn, 1, "one of {object, set, array}", a[1]);
        };
    }

    private static boolean isSubset(Value sup, Value sub) {
        if (sup instanceof ObjectValue so && sub instanceof ObjectValue bo) {
            for (var e : bo.asMap().entrySet()) {
                Value sv = so.get(e.getKey());
                if (sv == null || !isSubset(sv, e.getValue())) return false;
            }
            return true;
        }
        if (sup instanceof SetValue ss && sub instanceof SetValue bs) return ss.asSet().containsAll(bs.asSet());
        if (sup instanceof ArrayValue sa && sub instanceof SetValue bs) {
            java.util.Set<Value> have = new java.util.HashSet<>(sa.asList());
            return have.containsAll(bs.asSet());
        }
        if (sup instanceof ArrayValue sa && sub instanceof ArrayValue ba) return containsRun(sa, ba);
        return sup.equals(sub);
    }

    /** True when {@code sub} occurs as a contiguous run inside {@code sup}. */
    private static boolean containsRun(ArrayValue sup, ArrayValue sub) {
        int n = sup.size(), m = sub.size();
        if (m == 0) return true;
        outer:
        for (int i = 0; i + m <= n; i++) {
            for (int j = 0; j < m; j++) if (!sup.get(i + j).equals(sub.get(j))) continue outer;
            return true;
        }
        return false;
    }
}
