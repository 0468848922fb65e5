package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Runtime {
    private Runtime() {}

    static void register(BuiltinRegistry r) {
    }
}
