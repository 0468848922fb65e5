package org.lobstertrap.puzzlepod.rego.ast;

/** {@code with target as value}. The target is {@code input…}, {@code data…} or a function/builtin name. */
public record With(Term target, Term value, Location loc) {}
