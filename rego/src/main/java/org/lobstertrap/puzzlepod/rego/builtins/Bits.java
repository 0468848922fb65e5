package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Bits {
    private Bits() {}

    static void register(BuiltinRegistry r) {
    }
}
