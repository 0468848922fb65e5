package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** An object literal: parallel lists of key and value terms. */
public record ObjectTerm(List<Term> keys, List<Term> values, Location loc) implements Term {}
