package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** A set literal. */
public record SetTerm(List<Term> items, Location loc) implements Term {}
