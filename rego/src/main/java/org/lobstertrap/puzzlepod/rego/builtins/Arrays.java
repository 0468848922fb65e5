package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Arrays {
    private Arrays() {}

    static void register(BuiltinRegistry r) {
    }
}
