package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Sprintf {
    private Sprintf() {}

    static void register(BuiltinRegistry r) {
    }
}
