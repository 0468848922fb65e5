package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.HashSet;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Set-of-sets builtins: {@code intersection}, {@code union}. */
final class Sets {
    private Sets() {}

    static void register(BuiltinRegistry r) {
        r.register("union", 1, (ctx, a) -> {
            SetValue.Builder b = SetValue.builder();
            for (Value e : members("union", a)) b.addAll((SetValue) e);
            return b.build();
        });
        r.register("intersection", 1, (ctx, a) -> {
            SetValue sets = members("intersection", a);
            if (sets.isEmpty()) return SetValue.EMPTY;
            Set<Value> acc = null;
            for (Value e : sets) {
                SetValue s = (SetValue) e;
                if (acc == null) acc = new HashSet<>(s.asSet());
                else acc.retainAll(s.asSet());
                if (acc.isEmpty()) break;
            }
            return SetValue.of(acc);
        });
    }

    private static SetValue members(String fn, Value[] a) throws RegoException {
        SetValue sets = Args.set(fn, a, 0);
        for (Value e : sets.asSet())
            if (!(e instanceof SetValue))
                throw RegoException.typeError(fn, "operand 1 must be set of sets but got set containing " + e.typeName());
        return sets;
    }
}
