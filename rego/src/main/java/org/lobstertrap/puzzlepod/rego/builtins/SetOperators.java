package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class SetOperators {
    private SetOperators() {}

    static void register(BuiltinRegistry r) {
    }
}
