package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Comparison {
    private Comparison() {}

    static void register(BuiltinRegistry r) {
    }
}
