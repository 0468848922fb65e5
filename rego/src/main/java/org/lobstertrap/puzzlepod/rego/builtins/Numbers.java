package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Numbers {
    private Numbers() {}

    static void register(BuiltinRegistry r) {
    }
}
