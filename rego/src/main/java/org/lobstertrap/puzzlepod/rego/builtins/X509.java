package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class X509 {
    private X509() {}

    static void register(BuiltinRegistry r) {
    }
}
