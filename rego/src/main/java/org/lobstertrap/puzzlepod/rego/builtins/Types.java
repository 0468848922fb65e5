package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Types {
    private Types() {}

    static void register(BuiltinRegistry r) {
    }
}
