package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.BooleanValue;

/** Comparison operators over OPA's total order of values: {@code == != < > <= >=}. */
final class Comparison {
    private Comparison() {}

    static void register(BuiltinRegistry r) {
        r.register("equal", 2, (ctx, a) -> BooleanValue.of(a[0].equals(a[1])));
        r.register("neq", 2, (ctx, a) -> BooleanValue.of(!a[0].equals(a[1])));
        r.register("lt", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) < 0));
        r.register("gt", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) > 0));
        r.register("lte", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) <= 0));
        r.register("gte", 2, (ctx, a) -> BooleanValue.of(a[0].compareTo(a[1]) >= 0));
    }
}
