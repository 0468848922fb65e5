package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Time {
    private Time() {}

    static void register(BuiltinRegistry r) {
    }
}
