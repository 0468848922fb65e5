package org.lobstertrap.puzzlepod.rego.ast;

/**
 * A function named as a value, only in {@code with} modifiers ({@code with count as my_count}): a
 * builtin name or a user function's full path ({@code "data.pkg.f"}). Produced by the compiler.
 */
public record FuncRef(String name, Location loc) implements Term {}
