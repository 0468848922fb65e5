package org.lobstertrap.puzzlepod.rego.ast;

/** {@code import data.a.b [as alias]}. */
public record Import(Ref path, String alias, Location loc) {}
