package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;

/**
 * Runtime information and debugging: {@code opa.runtime} (an empty object: the engine exposes no
 * environment or configuration to policies), {@code trace} and {@code print} (accepted and ignored;
 * the evaluator handles {@code print}'s variable arity), and {@code walk} (a relation the evaluator
 * implements; registered here for its arity), and OPA's {@code test.sleep} (accepted, no pause).
 */
final class Runtime {
    private Runtime() {}

    static void register(BuiltinRegistry r) {
        r.register("opa.runtime", 0, (ctx, a) -> ObjectValue.EMPTY);
        r.register("trace", 1, (ctx, a) -> BooleanValue.TRUE);
        r.register("print", 0, (ctx, a) -> BooleanValue.TRUE);
        r.register("internal.print", 1, (ctx, a) -> BooleanValue.TRUE);
        r.register("walk", 1, (ctx, a) -> null);
        // OPA's test helper; time.now_ns is fixed for the whole query, so a real pause could not be observed
        r.register("test.sleep", 1, (ctx, a) -> { Args.string("test.sleep", a, 0); return BooleanValue.TRUE; });
    }
}
