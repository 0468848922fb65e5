package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Uuid {
    private Uuid() {}

    static void register(BuiltinRegistry r) {
    }
}
