package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Aggregates {
    private Aggregates() {}

    static void register(BuiltinRegistry r) {
    }
}
