package org.lobstertrap.puzzlepod.rego.ast;

/** {@code {head | body}}. */
public record SetCompr(Term head, Body body, Location loc) implements Term {}
