package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Objects {
    private Objects() {}

    static void register(BuiltinRegistry r) {
    }
}
