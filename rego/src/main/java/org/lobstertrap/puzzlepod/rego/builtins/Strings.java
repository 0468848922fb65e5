package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Strings {
    private Strings() {}

    static void register(BuiltinRegistry r) {
    }
}
