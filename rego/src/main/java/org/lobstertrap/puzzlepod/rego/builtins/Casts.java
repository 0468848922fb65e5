package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Casts {
    private Casts() {}

    static void register(BuiltinRegistry r) {
    }
}
