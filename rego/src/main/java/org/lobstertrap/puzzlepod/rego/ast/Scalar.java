package org.lobstertrap.puzzlepod.rego.ast;

import org.lobstertrap.puzzlepod.rego.value.Value;

/** A constant: null, boolean, number or string. */
public record Scalar(Value value, Location loc) implements Term {}
