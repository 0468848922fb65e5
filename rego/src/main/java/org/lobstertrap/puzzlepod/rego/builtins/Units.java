package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Units {
    private Units() {}

    static void register(BuiltinRegistry r) {
    }
}
