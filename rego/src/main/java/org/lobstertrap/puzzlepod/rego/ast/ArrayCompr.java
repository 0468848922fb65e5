package org.lobstertrap.puzzlepod.rego.ast;

/** {@code [head | body]}. */
public record ArrayCompr(Term head, Body body, Location loc) implements Term {}
