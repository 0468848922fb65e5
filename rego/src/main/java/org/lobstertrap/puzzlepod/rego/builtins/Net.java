package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Net {
    private Net() {}

    static void register(BuiltinRegistry r) {
    }
}
