package org.lobstertrap.puzzlepod.rego.builtins;

/** Builtin family (to be filled). */
final class Graph {
    private Graph() {}

    static void register(BuiltinRegistry r) {
    }
}
