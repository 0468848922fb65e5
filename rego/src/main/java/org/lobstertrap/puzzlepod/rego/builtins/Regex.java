package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Regex {
    private Regex() {}

    static void register(BuiltinRegistry r) {
    }
}
