package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Encoding {
    private Encoding() {}

    static void register(BuiltinRegistry r) {
    }
}
