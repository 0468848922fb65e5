package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Calls builtins from the standard registry (checking name and arity), with Value or JSON-written arguments. */
final class TextCalls {
    private TextCalls() {}

    static Value v(String json) { return Json.parse(json); }

    static Value call(String name, Value... args) throws RegoException {
        return call(BuiltinContext.simple(), name, args);
    }

    static Value call(BuiltinContext ctx, String name, Value... args) throws RegoException {
        BuiltinSpec spec = BuiltinRegistry.standard().lookup(name);
        assertThat(spec).as("builtin %s is registered", name).isNotNull();
        assertThat(spec.arity()).as("arity of %s", name).isEqualTo(args.length);
        return spec.fn().call(ctx, args);
    }

    /** TextCalls with JSON arguments and returns the JSON of the result ("undefined" for null). */
    static String json(String name, String... jsonArgs) throws RegoException {
        Value[] args = new Value[jsonArgs.length];
        for (int i = 0; i < args.length; i++) args[i] = v(jsonArgs[i]);
        Value r = call(name, args);
        return r == null ? "undefined" : r.toJson();
    }

    static RegoException error(String name, String... jsonArgs) {
        return catchThrowableOfType(RegoException.class, () -> json(name, jsonArgs));
    }
}
