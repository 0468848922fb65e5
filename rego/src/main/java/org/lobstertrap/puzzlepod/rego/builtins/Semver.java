package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Semver {
    private Semver() {}

    static void register(BuiltinRegistry r) {
    }
}
