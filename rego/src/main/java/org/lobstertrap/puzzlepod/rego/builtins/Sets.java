package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Sets {
    private Sets() {}

    static void register(BuiltinRegistry r) {
    }
}
