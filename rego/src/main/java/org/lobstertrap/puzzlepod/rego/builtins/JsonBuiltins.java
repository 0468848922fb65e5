package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class JsonBuiltins {
    private JsonBuiltins() {}

    static void register(BuiltinRegistry r) {
    }
}
