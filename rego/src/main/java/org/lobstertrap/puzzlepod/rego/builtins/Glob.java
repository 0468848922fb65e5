package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Glob {
    private Glob() {}

    static void register(BuiltinRegistry r) {
    }
}
