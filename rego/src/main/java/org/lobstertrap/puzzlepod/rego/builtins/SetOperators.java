package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** {@code &} (intersection) and {@code |} (union) on sets. */
final class SetOperators {
    private SetOperators() {}

    static void register(BuiltinRegistry r) {
        r.register("and", 2, (ctx, a) -> {
            SetValue x = Args.set("and", a, 0), y = Args.set("and", a, 1);
            SetValue.Builder b = SetValue.builder();
            SetValue small = x.size() <= y.size() ? x : y, big = small == x ? y : x;
            for (Value v : small.asSet()) if (big.contains(v)) b.add(v);
            return b.build();
        });
        r.register("or", 2, (ctx, a) -> {
            SetValue x = Args.set("or", a, 0), y = Args.set("or", a, 1);
            return SetValue.builder().addAll(x.asSet()).addAll(y.asSet()).build();
        });
    }
}
