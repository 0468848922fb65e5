package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Jwt {
    private Jwt() {}

    static void register(BuiltinRegistry r) {
    }
}
