package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Crypto {
    private Crypto() {}

    static void register(BuiltinRegistry r) {
    }
}
