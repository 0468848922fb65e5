package org.lobstertrap.puzzlepod.rego.ast;

/** A variable (or the root names {@code data} and {@code input}). */
public record Var(String name, Location loc) implements Term {
    public boolean isWildcard() { return name.startsWith("$_"); }
}
