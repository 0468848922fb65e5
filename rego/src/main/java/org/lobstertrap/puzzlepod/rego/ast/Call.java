package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/**
 * A call of a builtin ({@code "count"}, {@code "plus"} for {@code +}) or a user function (after
 * compilation its full path, {@code "data.pkg.f"}).
 */
public record Call(String name, List<Term> args, Location loc) implements Term {}
