package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Arithmetic {
    private Arithmetic() {}

    static void register(BuiltinRegistry r) {
    }
}
