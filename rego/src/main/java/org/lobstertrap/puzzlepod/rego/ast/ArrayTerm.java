package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** An array literal. */
public record ArrayTerm(List<Term> items, Location loc) implements Term {}
